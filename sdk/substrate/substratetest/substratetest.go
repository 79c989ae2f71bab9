// Package substratetest serves the recorded finney conversations for tests of code built on the substrate
// backend (the future client contract tests and the CLI's end-to-end tests): a strict replay transport and a
// loopback JSON-RPC server over it. It reads the fixtures from sdk/substrate/testdata/finney in the source
// tree, so it is meant for tests only.
package substratetest

import (
	"encoding/hex"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/gotensor/gotensor/sdk/substrate/codec"
	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/rpc"
)

// FinneyGenesis is the finney genesis hash as the node writes it.
const FinneyGenesis = "0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03"

// Seeds recorded at spec 343, the runtime of the bundled metadata; other seeds replay, but their
// runtime-API answers may not decode with it.
const (
	// SeedMetagraph is finney block 6,852,690 (hash HeadHash): subnet 1, 1,024 uids, read the SDK-10.2 way.
	SeedMetagraph = "metagraph"
	// HeadHash is the best block of SeedMetagraph.
	HeadHash = "0xdb13c066e2c63969f140164fb3bfe7a0aaa7b71407fc0fe525d68e57329ef9d0"
)

// StorageKeyHex is the 0x-hex storage key of SubtensorModule's item with the given keys, encoded by the
// types md gives them: for scripting replay answers to storage reads.
func StorageKeyHex(tb testing.TB, md *metadata.Metadata, item string, keys ...any) string {
	tb.Helper()
	_, e, err := md.Storage("SubtensorModule", item)
	if err != nil {
		tb.Fatal(err)
	}
	c := codec.New(md)
	kt := md.KeyTypes(e)
	enc := make([][]byte, len(keys))
	for i, k := range keys {
		if enc[i], err = c.Encode(kt[i], k); err != nil {
			tb.Fatal(err)
		}
	}
	key, _, err := md.StorageKey("SubtensorModule", item, enc...)
	if err != nil {
		tb.Fatal(err)
	}
	return "0x" + hex.EncodeToString(key)
}

// Dir is the folder holding the fixtures.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "finney")
}

var (
	once     sync.Once
	rec      rpc.Recording
	v14, v15 string
	loadErr  error
)

func load() error {
	once.Do(func() {
		if rec, loadErr = rpc.LoadRecording(filepath.Join(Dir(), "recorded-rpc.json")); loadErr != nil {
			return
		}
		b14, err := os.ReadFile(filepath.Join(Dir(), "metadata-v14-spec343.scale"))
		if err != nil {
			loadErr = err
			return
		}
		b15, err := os.ReadFile(filepath.Join(Dir(), "metadata-v15-spec343.opaque"))
		if err != nil {
			loadErr = err
			return
		}
		v14, v15 = "0x"+hex.EncodeToString(b14), "0x"+hex.EncodeToString(b15)
	})
	return loadErr
}

// Replay returns a replay of a recorded seed that also answers every metadata request with the spec-343
// metadata (as the recordings' own replay did) and chain_getBlockHash(0) with the finney genesis. Any
// request without a recording fails tb.
func Replay(tb testing.TB, seed string) *rpc.Replay {
	tb.Helper()
	if err := load(); err != nil {
		tb.Fatalf("substratetest: fixtures in %s: %v", Dir(), err)
	}
	r, err := rpc.NewReplay(rec, seed)
	if err != nil {
		tb.Fatal(err)
	}
	_ = r.SetStatic("state_getMetadata", v14)
	_ = r.SetStaticCall("Metadata_metadata_at_version", v15)
	_ = r.AddResult("chain_getBlockHash", []any{0}, FinneyGenesis)
	r.OnUnrecorded = func(method string, params []any) {
		tb.Errorf("substratetest: unrecorded request %s %v", method, params)
	}
	return r
}

// Server serves r on a loopback port and returns its ws:// and http:// URLs; it stops when the test ends.
func Server(tb testing.TB, r *rpc.Replay) (wsURL, httpURL string) {
	tb.Helper()
	srv := httptest.NewServer(rpc.ReplayHandler(r))
	tb.Cleanup(srv.Close)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		tb.Fatalf("substratetest: server not on loopback: %s", srv.URL)
	}
	return "ws" + strings.TrimPrefix(srv.URL, "http"), srv.URL
}
