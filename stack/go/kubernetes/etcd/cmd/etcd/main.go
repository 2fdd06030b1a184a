// Command etcd is etcd's own main (go.etcd.io/etcd/server/v3/main.go), compiled from the
// published module. `go install go.etcd.io/etcd/server/v3@vX` is refused because that module's
// go.mod carries replace directives, and it would name the binary "server".
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
