package synapse_test

import (
	"net/http"
	"testing"

	"github.com/gotensor/gotensor/sdk/synapse"
)

func benchBody(b *testing.B) ([]byte, http.Header) {
	b.Helper()
	g := loadGoldenB(b)
	hdr := http.Header{}
	for k, v := range g.DendriteRequest.Case.Headers {
		hdr.Set(k, v)
	}
	return g.DendriteRequest.Case.JSONBody, hdr
}

// BenchmarkUnmarshal: decoding the golden request body (what an axon does per request).
func BenchmarkUnmarshal(b *testing.B) {
	body, _ := benchBody(b)
	b.ReportAllocs()
	for b.Loop() {
		var d Dummy
		if err := synapse.Unmarshal(body, &d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFromHeaders: building the header synapse from the golden request headers.
func BenchmarkFromHeaders(b *testing.B) {
	_, hdr := benchBody(b)
	b.ReportAllocs()
	for b.Loop() {
		var d Dummy
		if err := synapse.FromHeaders(hdr, &d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReply: what an axon does to answer: marshal the body and render the headers.
func BenchmarkReply(b *testing.B) {
	body, _ := benchBody(b)
	var d Dummy
	if err := synapse.Unmarshal(body, &d); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := synapse.Marshal(&d, synapse.StyleCompact); err != nil {
			b.Fatal(err)
		}
		if _, err := synapse.ToHeaders(&d); err != nil {
			b.Fatal(err)
		}
	}
}
