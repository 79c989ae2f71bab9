package axon

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/synapse"
)

// wallClockNonceFloor is 1e18 ns (2001-09-09): larger nonces are wall-clock time.
const wallClockNonceFloor = 1_000_000_000_000_000_000

// allowedDelta is the Python SDK's ALLOWED_DELTA: 4 s on top of the timeout for a first contact.
const allowedDelta = 4 * time.Second

// maxRecent bounds how many accepted nonces one endpoint remembers inside the reorder tolerance.
const maxRecent = 256

// reorderTolerance is how far below the newest accepted nonce an unseen nonce may still be accepted (a
// concurrent request overtaken in flight). Python accepts only strictly increasing nonces, which makes
// concurrent calls from one dendrite fail at random.
const reorderTolerance = int64(2 * time.Second)

// endpoint is the nonce memory of one (hotkey, uuid) pair. A nonce is refused when it is <= floor, when it
// is more than reorderTolerance below the newest accepted one, or when it is in recent (every accepted
// nonce within the tolerance). Accepted nonces that fall out of the tolerance are dropped from recent (the
// tolerance rule covers them); when recent overflows, its smallest entry moves into floor. So no nonce is
// ever accepted twice.
type endpoint struct {
	floor  int64
	newest int64
	recent []int64
}

func newEndpoint() *endpoint { return &endpoint{floor: math.MinInt64, newest: math.MinInt64} }

func (e *endpoint) seen(nonce int64) bool {
	if nonce <= e.floor || (e.newest != math.MinInt64 && nonce <= e.newest-reorderTolerance) {
		return true
	}
	return slices.Contains(e.recent, nonce)
}

func (e *endpoint) add(nonce int64) {
	e.newest = max(e.newest, nonce)
	cut := e.newest - reorderTolerance
	e.recent = slices.DeleteFunc(e.recent, func(r int64) bool { return r <= cut })
	e.recent = append(e.recent, nonce)
	if len(e.recent) > maxRecent {
		mi := 0
		for i, r := range e.recent {
			if r < e.recent[mi] {
				mi = i
			}
		}
		e.floor = max(e.floor, e.recent[mi])
		e.recent = slices.Delete(e.recent, mi, mi+1)
	}
}

// nonceStore is the bounded nonce memory: two generations of endpoints; when the young one fills up the old
// one is dropped. A dropped endpoint falls back to the first-contact rules (freshness window and the axon's
// start time), which is what bounds replay after eviction.
type nonceStore struct {
	mu        sync.Mutex
	cur, prev map[string]*endpoint
	half      int
}

func newNonceStore(capacity int) *nonceStore {
	return &nonceStore{cur: map[string]*endpoint{}, prev: map[string]*endpoint{}, half: max(capacity/2, 1)}
}

// lookup returns the endpoint of key (nil on first contact). Call with mu held.
func (s *nonceStore) lookup(key string) *endpoint {
	if e, ok := s.cur[key]; ok {
		return e
	}
	if e, ok := s.prev[key]; ok {
		delete(s.prev, key)
		s.insert(key, e)
		return e
	}
	return nil
}

func (s *nonceStore) insert(key string, e *endpoint) {
	if len(s.cur) >= s.half {
		s.prev, s.cur = s.cur, make(map[string]*endpoint, s.half)
	}
	s.cur[key] = e
}

func (s *nonceStore) size() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.cur) + len(s.prev)
}

// verifyError is a failed verification; its text follows "Not Verified with error: ".
type verifyError struct{ reason string }

func (e *verifyError) Error() string { return e.reason }

func vfail(format string, a ...any) error { return &verifyError{reason: fmt.Sprintf(format, a...)} }

// claims are the verification inputs taken from the request headers.
type claims struct {
	hotkey      string
	uuid        string
	nonce       *int64
	version     *int64
	signature   string
	hasSig      bool
	bodyHash    string
	timeoutSecs float64
}

// verifier is default_verify hardened: the signature is required, far-future nonces are refused, nonces
// older than the axon are refused, the window claim is capped, and the nonce memory is bounded.
type verifier struct {
	self       string // own hotkey SS58
	now        func() time.Time
	start      int64
	maxTimeout time.Duration
	nonces     *nonceStore
	pubMu      sync.Mutex
	pubs       map[string]*keys.VerifyKey
}

func newVerifier(self string, now func() time.Time, maxTimeout time.Duration, endpoints int) *verifier {
	return &verifier{self: self, now: now, start: now().UnixNano(), maxTimeout: maxTimeout,
		nonces: newNonceStore(endpoints), pubs: map[string]*keys.VerifyKey{}}
}

const maxPubCache = 4096

// neverKey verifies nothing: the key of a hotkey that decodes to the point at infinity (go-schnorrkel
// accepts that address and then refuses every signature, so the reply stays "Signature mismatch").
var neverKey = &keys.VerifyKey{}

// publicKey returns the verifying key of an SS58 hotkey, cached. Keys are curve25519-voi VerifyKeys
// (twice as fast as go-schnorrkel, same accepted signatures; see keys.VerifyKey), immutable and safe for
// concurrent use.
func (v *verifier) publicKey(hotkey string) (*keys.VerifyKey, error) {
	v.pubMu.Lock()
	kp, ok := v.pubs[hotkey]
	v.pubMu.Unlock()
	if ok {
		return kp, nil
	}
	pub, _, err := keys.DecodeSS58(hotkey)
	if err != nil {
		return nil, err
	}
	kp, err = keys.NewVerifyKey(pub)
	switch {
	case errors.Is(err, keys.ErrKeyAtInfinity):
		kp = neverKey
	case err != nil:
		return nil, err
	}
	v.pubMu.Lock()
	if len(v.pubs) >= maxPubCache {
		clear(v.pubs)
	}
	v.pubs[hotkey] = kp
	v.pubMu.Unlock()
	return kp, nil
}

func (v *verifier) window(c *claims) time.Duration {
	t := time.Duration(c.timeoutSecs * float64(time.Second))
	if t < 0 || c.timeoutSecs != c.timeoutSecs {
		t = 0
	}
	return allowedDelta + min(t, v.maxTimeout)
}

// checkNonce applies the nonce rules to an endpoint's memory (nil: first contact). Call with the store
// lock held.
func (v *verifier) checkNonce(e *endpoint, c *claims, now int64) error {
	nonce := *c.nonce
	// The version header is not signed: a replayer could strip it to dodge the freshness rules. A nonce that
	// is plainly wall-clock nanoseconds (after 2001; a monotonic clock would need 31 years of uptime) gets
	// the wall-clock rules whatever the version says.
	modern := (c.version != nil && *c.version >= synapse.NonceWallClockVersion) || nonce >= wallClockNonceFloor
	if modern {
		w := v.window(c)
		if nonce > now+int64(w) {
			return vfail("Nonce is too far in the future: acceptable delta is %.2f seconds but request was %.2f seconds ahead",
				w.Seconds(), float64(nonce-now)/1e9)
		}
	}
	if e != nil {
		if e.seen(nonce) {
			return vfail("Nonce is too old, a newer one was last processed")
		}
		return nil
	}
	if modern {
		w := v.window(c)
		if nonce <= now-int64(w) {
			return vfail("Nonce is too old: acceptable delta is %.2f seconds but request was %.2f seconds old",
				w.Seconds(), float64(now-nonce)/1e9)
		}
		if nonce < v.start {
			return vfail("Nonce is too old: the request was signed before this axon started")
		}
	}
	return nil
}

// verify runs the checks in the Python order (hotkey, nonce, signature) and records the nonce only when all
// pass. It returns the caller's verified public key.
func (v *verifier) verify(c *claims) ([32]byte, error) {
	if c.hotkey == "" {
		return [32]byte{}, vfail("No SS58 formatted address or public key provided.")
	}
	kp, err := v.publicKey(c.hotkey)
	if err != nil {
		return [32]byte{}, vfail("Invalid SS58 address: %s", c.hotkey)
	}
	if c.nonce == nil {
		return [32]byte{}, vfail("Missing Nonce")
	}
	key := c.hotkey + ":" + c.uuid
	now := v.now().UnixNano()
	v.nonces.mu.Lock()
	err = v.checkNonce(v.nonces.lookup(key), c, now)
	v.nonces.mu.Unlock()
	if err != nil {
		return [32]byte{}, err
	}
	if !c.hasSig || c.signature == "" {
		return [32]byte{}, vfail("Missing Signature: every request must be signed by its dendrite hotkey")
	}
	if !strings.HasPrefix(c.signature, "0x") {
		return [32]byte{}, vfail("Invalid signature format. Expected hex string.")
	}
	sig, err := hex.DecodeString(c.signature[2:])
	if err != nil || len(sig) != keys.SignatureSize {
		return [32]byte{}, vfail("Invalid signature format. Expected hex string.")
	}
	msg := synapse.SignatureMessage(*c.nonce, c.hotkey, v.self, c.uuid, c.bodyHash)
	if !kp.Verify([]byte(msg), sig) {
		return [32]byte{}, vfail("Signature mismatch with %s and %s", msg, c.signature)
	}
	// Record atomically: a concurrent request with the same nonce may have passed the pre-check too.
	v.nonces.mu.Lock()
	defer v.nonces.mu.Unlock()
	e := v.nonces.lookup(key)
	if err := v.checkNonce(e, c, now); err != nil {
		return [32]byte{}, err
	}
	if e == nil {
		e = newEndpoint()
		v.nonces.insert(key, e)
	}
	e.add(*c.nonce)
	return kp.PublicKey(), nil
}
