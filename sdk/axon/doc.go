// Package axon is the miner-side server of the axon protocol, wire-compatible with the Python SDK's axon
// (spec/sdk.md §2): one route per attached synapse (POST and GET /<Name>), and the Python pipeline in the
// Python order with the Python status codes and reply headers —
//
//	route (404) → headers → synapse (500) → size (413) → blacklist (403) → verify (401)
//	→ priority queue (503 full, 408 waited too long) → body (422/500) → body hash (500) → forward
//
// Verification is the Python default_verify hardened: a signature is required, nonces from the future,
// from before the axon started or replayed are refused, and the nonce memory is bounded (docs/protocol.md
// lists every rule). Forward receives the verified caller identity in *Request and in the synapse's
// dendrite fields; nothing it sees about the caller comes unverified from the body.
//
// Forward calls run MaxWorkers at a time; verified requests wait for a slot in a bounded priority queue
// ordered by the Priority hook, and a full queue answers 503. The server has header, body and time limits,
// shuts down gracefully, serves GET /info (the attached synapses) and, on a separate address, Prometheus
// metrics. With Config.TLS it serves HTTPS with a self-signed ed25519 certificate whose key it publishes
// on chain (ServeOnChain through an Announcer, the chain client's serve_axon / serve_axon_tls).
//
// An axon never panics on what a client sends: inputs are validated first, and panics in user hooks are
// recovered and answered with 500.
package axon
