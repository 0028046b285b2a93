// The Slack-like workspace used by the tests and the local sandbox: one store, one Web API, one way of
// sending signed requests to the app.
export { startWorkspaceServer, type WorkspaceServer, type WorkspaceServerOptions } from './server.ts';
export { WorkspaceStore, type StoreOptions } from './store.ts';
export { defaultSeed, type WorkspaceSeed } from './seed.ts';
export { WebApi, SUPPORTED_METHODS } from './web-api.ts';
export type { AppResponse, ClickExtras, MessageRef } from './app-driver.ts';
export type { Fault, RecordedCall } from './faults.ts';
export type { SimpleValues, StateValues } from './view-state.ts';
export { messageText, blocksText, findElement } from './block-walk.ts';
export { signRequest, verifySlackSignature, computeSignature } from './signing.ts';
export type * from './types.ts';
