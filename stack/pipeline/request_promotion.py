# The last step of a training pipeline: files a promotion request for the version it registered,
# through the portal's REST API, with a tenant service token. Python's standard library only.
# Reads PORTAL_URL, PORTAL_TOKEN (from a Kubernetes Secret), TENANT, MODEL_NAME, MODEL_VERSION,
# MODEL_CARD_URL, NOTES and PIPELINE_RUN; writes the request's id and page to OUTPUTS_DIR for the
# pipeline's output parameters. Exits 1 with the portal's reason (and each failing gate) if refused.
import json
import os
import sys
import urllib.error
import urllib.request

portal = os.environ["PORTAL_URL"].rstrip("/")
url = f"{portal}/api/v1/t/{os.environ['TENANT']}/promotions"
body = {
    "model": os.environ["MODEL_NAME"],
    "version": os.environ["MODEL_VERSION"],
    "modelCardUrl": os.environ.get("MODEL_CARD_URL", ""),
    "notes": os.environ.get("NOTES", ""),
    "pipeline": os.environ["PIPELINE_RUN"],
}
request = urllib.request.Request(
    url,
    data=json.dumps(body).encode(),
    method="POST",
    headers={"Authorization": f"Bearer {os.environ['PORTAL_TOKEN']}", "Content-Type": "application/json"},
)
try:
    with urllib.request.urlopen(request, timeout=60) as response:
        filed = json.load(response)
except urllib.error.HTTPError as error:
    text = error.read().decode(errors="replace")
    try:
        answer = json.loads(text)
    except ValueError:
        answer = {"error": text[:500]}
    print(f"The portal refused the promotion request ({error.code}): {answer.get('error')}", file=sys.stderr)
    for gate in answer.get("gates", []):
        if not gate["passed"]:
            print(f"  failing gate {gate['label']}: {gate['detail']}", file=sys.stderr)
    sys.exit(1)
except urllib.error.URLError as error:
    print(f"The portal could not be reached at {portal}: {error.reason}", file=sys.stderr)
    sys.exit(1)

outputs = os.environ.get("OUTPUTS_DIR", "/tmp/outputs")
os.makedirs(outputs, exist_ok=True)
for name, value in (("request-id", filed["id"]), ("request-href", portal + filed["href"])):
    with open(os.path.join(outputs, name), "w") as output:
        output.write(value)
passed = sum(1 for gate in filed["gates"] if gate["passed"])
print(f"Filed promotion request {filed['id']} for {filed['model']} v{filed['version']}: "
      f"{passed} of {len(filed['gates'])} gates pass; {portal}{filed['href']}")
