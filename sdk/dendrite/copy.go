package dendrite

import (
	"reflect"

	"github.com/gotensor/gotensor/sdk/synapse"
)

// copyMessage assigns every field of src to dst (same synapse type).
func copyMessage(dst, src synapse.Message) {
	reflect.ValueOf(dst).Elem().Set(reflect.ValueOf(src).Elem())
}
