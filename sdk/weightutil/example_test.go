package weightutil_test

import (
	"fmt"

	"github.com/gotensor/gotensor/sdk/weightutil"
)

// From validator scores to the values set_weights sends.
func Example() {
	uids := []uint16{0, 1, 2, 3, 4}
	scores := []float64{0.1, 0.2, 0.3, 0.4, 0}
	lim := weightutil.ChainLimits(5, 1, 32768) // n, MinAllowedWeights, MaxWeightsLimit
	u, w, err := weightutil.ProcessWeights(uids, scores, lim, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	u16uids, vals, err := weightutil.ConvertWeightsAndUidsForEmit(u, w)
	fmt.Println(u16uids, vals, err)
	// Output: [0 1 2 3] [16384 32768 49151 65535] <nil>
}
