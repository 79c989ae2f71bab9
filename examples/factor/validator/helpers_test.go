package validator

import (
	"testing"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/client"
)

// nopChain is a client.Chain that New never calls (it only stores it).
type nopChain struct{ client.Chain }

func mustKey(t *testing.T) *keys.Keypair {
	t.Helper()
	k, err := keys.FromURI("//Alice")
	if err != nil {
		t.Fatal(err)
	}
	return k
}
