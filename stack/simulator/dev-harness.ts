/**
 * A stand-in for `stack/simulator/main.ts` while it is being written: the metrics simulator over a
 * static view (two services, one at 80/20 canary; two GPU pods, one idle) on the simulator port.
 * Run: `node --import tsx stack/simulator/dev-harness.ts`. Delete once main.ts exists.
 */
import { createServer } from 'node:http';
import { HOST, stackContext } from '../lib/context';
import { createMetricsSimulator } from './metrics';
import type { GpuPod, RevisionTraffic } from './view';

export const HARNESS_TRAFFIC: RevisionTraffic[] = [
  { namespace: 'fraud', service: 'fraud-scorer', revision: 'fraud-scorer-predictor-00001', percent: 80, role: 'stable' },
  { namespace: 'fraud', service: 'fraud-scorer', revision: 'fraud-scorer-predictor-00002', percent: 20, role: 'canary' },
  { namespace: 'pricing', service: 'price-elasticity', revision: 'price-elasticity-predictor-00003', percent: 100, role: 'stable' },
];

export const HARNESS_GPU_PODS: GpuPod[] = [
  { namespace: 'fraud', pod: 'fraud-scorer-predictor-00001-deployment-7d9f8-x2k4p', node: 'gpu-node-1', gpus: 1, idle: false },
  { namespace: 'forecast', pod: 'demand-train-5bq7z', node: 'gpu-node-2', gpus: 2, idle: true },
];

if (import.meta.url === `file://${process.argv[1]}`) {
  const ctx = stackContext();
  const metrics = createMetricsSimulator({ traffic: () => HARNESS_TRAFFIC, gpuPods: () => HARNESS_GPU_PODS });
  const server = createServer((req, res) => {
    metrics
      .handle(req, res)
      .then((handled) => {
        if (handled) return;
        if (req.url === '/healthz') {
          res.writeHead(200).end('ok');
          return;
        }
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `no route ${req.method} ${req.url}` }));
      })
      .catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
  });
  server.listen(ctx.ports.simulator, HOST, () => console.log(`metrics simulator (dev harness) on http://${HOST}:${ctx.ports.simulator}`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
