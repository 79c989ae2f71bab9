// Package archguard holds the architecture tests: the deterministic-core rules and the import layering of
// DESIGN.md. It has no code of its own; see archguard_test.go.
package archguard
