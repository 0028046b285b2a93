// The in-repo Slack workspace as tests use it: the sandbox's workspace server (src/sandbox/workspace)
// plus what only tests need — fault injection (`failNext`) and the log of every Web API call
// (`calls`). Tests start it here, and import the workspace's types and readers from here.
import {
  startWorkspaceServer,
  type WorkspaceServer,
  type WorkspaceServerOptions,
} from '../../src/sandbox/workspace/server.ts';
import { CallLog, FaultPlan, faultHooks, type Fault, type RecordedCall } from './slack-faults.ts';

export type { WorkspaceServerOptions } from '../../src/sandbox/workspace/server.ts';
export { WorkspaceStore, type StoreOptions } from '../../src/sandbox/workspace/store.ts';
export { defaultSeed, type WorkspaceSeed } from '../../src/sandbox/workspace/seed.ts';
export type { AppResponse, ClickExtras, MessageRef } from '../../src/sandbox/workspace/app-driver.ts';
export type { SimpleValues, StateValues } from '../../src/sandbox/workspace/view-state.ts';
export { findElement } from '../../src/sandbox/workspace/block-walk.ts';
export { messageText, blocksText } from './message-text.ts';
export type * from '../../src/sandbox/workspace/types.ts';
export type { Fault, RecordedCall } from './slack-faults.ts';

export interface TestWorkspace extends WorkspaceServer {
  /** The next `times` calls of `method` get `fault` instead of their answer. */
  failNext(method: string, fault: Fault, times?: number): void;
  /** Every call received (faulted ones included), oldest first; one method's, or all. */
  calls(method?: string): RecordedCall[];
}

export async function startTestWorkspace(options: WorkspaceServerOptions): Promise<TestWorkspace> {
  const plan = new FaultPlan();
  const log = new CallLog();
  const server = await startWorkspaceServer({ ...options, apiHooks: faultHooks(plan, log) });
  return Object.assign(server, {
    failNext: (method: string, fault: Fault, times = 1) => plan.failNext(method, fault, times),
    calls: (method?: string) => log.calls(method),
  });
}
