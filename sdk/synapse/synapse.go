package synapse

import (
	"fmt"
)

// DefaultTimeout is the Python SDK's default synapse timeout in seconds.
const DefaultTimeout = 12.0

// TerminalInfo describes one end of a call (Python `TerminalInfo`): the dendrite that sent it or the axon
// that served it. Every field is optional (nil is Python None); the field order is the Python one.
type TerminalInfo struct {
	StatusCode    *int     `json:"status_code"`
	StatusMessage *string  `json:"status_message"`
	ProcessTime   *float64 `json:"process_time"`
	IP            *string  `json:"ip"`
	Port          *int     `json:"port"`
	Version       *int64   `json:"version"`
	Nonce         *int64   `json:"nonce"`
	UUID          *string  `json:"uuid"`
	Hotkey        *string  `json:"hotkey"`
	Signature     *string  `json:"signature"`
}

// Base holds the fields every synapse has. Embed it (by value, first) in a synapse type.
type Base struct {
	// Name is always the class name on the wire; a received value is ignored, as in Python.
	Name string `json:"name"`
	// Timeout is the call timeout in seconds; the dendrite sets it to the call's timeout.
	Timeout float64 `json:"timeout"`
	// TotalSize and HeaderSize are CPython size artefacts; informational only.
	TotalSize  int64 `json:"total_size"`
	HeaderSize int64 `json:"header_size"`
	// Dendrite and Axon are the two terminals.
	Dendrite TerminalInfo `json:"dendrite"`
	Axon     TerminalInfo `json:"axon"`
	// ComputedBodyHash is always "" in the body; the hash travels in the computed_body_hash header.
	ComputedBodyHash string `json:"computed_body_hash"`
}

func (b *Base) base() *Base { return b }

// Message is implemented by every synapse type (through the embedded Base).
type Message interface {
	base() *Base
}

// BaseOf gives the embedded Base of m.
func BaseOf(m Message) *Base { return m.base() }

// Namer lets a synapse type choose its class name (the route /<name>).
type Namer interface{ SynapseName() string }

// HashFielder lists required_hash_fields in a chosen order (otherwise the `hash` tags in field order).
type HashFielder interface{ RequiredHashFields() []string }

// TimeoutDefaulter overrides the 12 s default timeout of a synapse type.
type TimeoutDefaulter interface{ DefaultTimeout() float64 }

// Deserializer is Python's deserialize() hook: what a caller gets from a response when it asks for the
// deserialized form.
type Deserializer interface{ Deserialize() any }

// Deserialize applies m's Deserialize hook, or returns m itself (the Python base class behaviour).
func Deserialize(m Message) any {
	if d, ok := m.(Deserializer); ok {
		return d.Deserialize()
	}
	return m
}

// Ping is the base synapse the Python SDK always attaches as `/Synapse` ("ping"): no fields of its own.
type Ping struct{ Base }

// SynapseName is "Synapse", the Python base class name.
func (*Ping) SynapseName() string { return "Synapse" }

// Success reports whether the dendrite status is 200.
func (b *Base) Success() bool { return b.Dendrite.StatusCode != nil && *b.Dendrite.StatusCode == 200 }

// Failure reports whether the dendrite status is anything but 200 (or unset).
func (b *Base) Failure() bool { return !b.Success() }

// TimedOut reports a 408 dendrite status.
func (b *Base) TimedOut() bool { return b.dendriteIs(408) }

// Blacklisted reports a 403 dendrite status.
func (b *Base) Blacklisted() bool { return b.dendriteIs(403) }

// FailedVerification reports a 401 dendrite status.
func (b *Base) FailedVerification() bool { return b.dendriteIs(401) }

func (b *Base) dendriteIs(c int) bool {
	return b.Dendrite.StatusCode != nil && *b.Dendrite.StatusCode == c
}

// StatusError is returned by a forward function to answer with a given status and message (Python: a
// synapse exception carrying a status code, e.g. 409 "Conflicting request").
type StatusError struct {
	Code    int
	Message string
}

func (e *StatusError) Error() string { return fmt.Sprintf("status %d: %s", e.Code, e.Message) }

// Ptr returns a pointer to v: a convenience for the Optional fields of TerminalInfo and synapse types.
func Ptr[T any](v T) *T { return &v }

// OrderedMap is a Python dict: string keys in insertion order, values of type V. Use it for dict fields;
// the body hash renders dicts in insertion order, which a Go map cannot keep.
type OrderedMap[V any] struct {
	keys []string
	vals []V
}

// Dict is a dict of arbitrary JSON values (Python `dict`).
type Dict = OrderedMap[any]

// Len is the number of entries.
func (m *OrderedMap[V]) Len() int { return len(m.keys) }

// Keys returns the keys in insertion order (a copy).
func (m *OrderedMap[V]) Keys() []string { return append([]string(nil), m.keys...) }

// At returns the i-th entry.
func (m *OrderedMap[V]) At(i int) (string, V) { return m.keys[i], m.vals[i] }

// Get returns the value for key.
func (m *OrderedMap[V]) Get(key string) (V, bool) {
	for i, k := range m.keys {
		if k == key {
			return m.vals[i], true
		}
	}
	var zero V
	return zero, false
}

// Set sets key to v, keeping the key's first position when it already exists (Python dict semantics).
func (m *OrderedMap[V]) Set(key string, v V) {
	for i, k := range m.keys {
		if k == key {
			m.vals[i] = v
			return
		}
	}
	m.keys = append(m.keys, key)
	m.vals = append(m.vals, v)
}

// Delete removes key.
func (m *OrderedMap[V]) Delete(key string) {
	for i, k := range m.keys {
		if k == key {
			m.keys = append(m.keys[:i:i], m.keys[i+1:]...)
			m.vals = append(m.vals[:i:i], m.vals[i+1:]...)
			return
		}
	}
}

// reflection hooks (see codec.go).
func (m *OrderedMap[V]) omLen() int         { return len(m.keys) }
func (m *OrderedMap[V]) omKey(i int) string { return m.keys[i] }
func (m *OrderedMap[V]) omVal(i int) any    { return &m.vals[i] }
func (m *OrderedMap[V]) omReset()           { m.keys, m.vals = nil, nil }
func (m *OrderedMap[V]) omElem() any        { var p *V; return p }
func (m *OrderedMap[V]) omAppend(k string) any {
	m.keys = append(m.keys, k)
	var z V
	m.vals = append(m.vals, z)
	return &m.vals[len(m.vals)-1]
}
func (m *OrderedMap[V]) omFind(k string) int {
	for i, key := range m.keys {
		if key == k {
			return i
		}
	}
	return -1
}

type orderedMap interface {
	omLen() int
	omKey(i int) string
	omVal(i int) any
	omReset()
	omElem() any
	omAppend(k string) any
	omFind(k string) int
}
