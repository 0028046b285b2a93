// A release holding on one gate sampled every second, against a Prometheus stand-in: the setup of
// the gate sampler and card refresh tests.
import type { ServerResponse } from 'node:http';
import { sendJson } from './http-server.ts';

/** Prometheus's answer to an instant query: one low error rate. */
export function steadyVector(res: ServerResponse): void {
  sendJson(res, 200, {
    status: 'success',
    data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, '0.001'] }] },
  });
}

/** A service (YAML under `services:`) holding 10 minutes at 10% on one gate sampled `every` (1 s). */
export function holdingService(name: string, promUrl: string, every = '1s'): string {
  return `
  ${name}:
    previous_version: v1.0.0
    approvals: { required: 0 }
    actions:
      deploy: { command: ["true"] }
      rollback: { command: ["true"] }
    gates:
      error_rate:
        prometheus: { url: "${promUrl}", query: 'rate(${name}[1m])' }
        max: 0.05
        every: ${every}
    stages:
      - deploy
      - { traffic: 10, hold: 10m, gates: [error_rate] }`;
}
