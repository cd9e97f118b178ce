// A typed client for the Proxmox VE REST API (https://pve.proxmox.com/pve-docs/api-viewer/), shared by the n8n
// node and the backend, so it depends on nothing from n8n. It authenticates with an API token or a ticket
// login, form-encodes writes like the web UI does, turns every non-2xx answer into a ProxmoxApiError, and can
// wait for every task it starts (UPID) until it stops.
//
// It throws its own error classes (errors.ts) on purpose: the backend has no n8n, and the node's transport
// (nodes/ProxmoxVe/transport) turns them into NodeApiError / NodeOperationError with hints.
//
// One object with every API family, each in its own module extending the previous one (session.ts ← cluster.ts
// ← tasks.ts ← backups.ts ← qemu.ts ← snapshots.ts ← lxc.ts), so callers keep a single flat client while no
// file holds them all. A family uses only the session's plumbing and the families before it.

import { ContainerApis } from './lxc';

export class ProxmoxClient extends ContainerApis {}
