package axon

// QueueDepth exposes the queue length to the tests.
func QueueDepth(a *Axon) int { return a.pool.depth() }
