/**
 * The simulator process of the local stack (never part of the product): the KServe controller
 * and data plane stand-in, and the Prometheus exporter of request and GPU metrics that follows
 * the traffic split and of the models' input drift scores, with a control API to inject faults
 * and drift. One HTTP port:
 *   GET /healthz · GET /state (revisions and traffic as the simulator sees them)
 *   GET /metrics · GET|POST|DELETE /faults (see metrics.ts) · GET|POST|DELETE /drift (see drift.ts)
 */
import { createServer } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { HOST, stackContext } from '../lib/context';
import { KServeSimulator } from './kserve';
import { createMetricsSimulator } from './metrics';

const ctx = stackContext();
const log = (msg: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ time: new Date().toISOString(), msg, ...fields }));

const kubeconfig = new KubeConfig();
kubeconfig.loadFromFile(process.env.KUBECONFIG ?? ctx.kubeconfig);
const kserve = new KServeSimulator(kubeconfig, log);
await kserve.start();
const metrics = createMetricsSimulator(kserve);

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://simulator').pathname;
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (path === '/healthz') return json(200, { status: 'ok' });
  if (path === '/state') return json(200, { traffic: kserve.traffic(), gpuPods: kserve.gpuPods() });
  metrics
    .handle(req, res)
    .then((handled) => {
      if (!handled) json(404, { error: `no such path ${path}` });
    })
    .catch((error: unknown) => {
      log('request failed', { path, error: String(error) });
      if (!res.headersSent) json(500, { error: String(error) });
    });
});
server.listen(ctx.ports.simulator, HOST, () => log('simulator listening', { port: ctx.ports.simulator }));

const stop = () => {
  server.close();
  void kserve.stop().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
