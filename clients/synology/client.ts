import { SystemApis } from './system';

// The typed DSM Web API client the nodes and the backend use: one object with every API family. Each family
// lives in its own module and extends the previous one (session.ts ← file-station.ts ← download-station.ts ←
// system.ts), so callers keep a single flat client while no file holds them all; the families only use the
// session's plumbing (call, waitForTask), never each other's methods.
export class SynologyClient extends SystemApis {}
