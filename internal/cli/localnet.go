package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/gotensor/gotensor/chain/runtime"
	"github.com/gotensor/gotensor/chain/tx"
	"github.com/gotensor/gotensor/dashboard"
	"github.com/gotensor/gotensor/examples/factor/miner"
	"github.com/gotensor/gotensor/examples/factor/validator"
	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/node/engine/dev"
	"github.com/gotensor/gotensor/node/server"
	"github.com/gotensor/gotensor/sdk/axon"
	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/wallet"
)

func init() {
	commandGroups = append(commandGroups, func(root *cobra.Command) { root.AddCommand(newLocalnetCommand()) })
}

// localnetQuality is how one localnet miner is degraded on purpose. Only the miner and this table know it;
// the validators see answers and latency.
type localnetQuality struct {
	Name       string
	Delay      time.Duration
	WrongEvery int
	Offline    bool
}

// localnetQualities cycle over the miners: the best first, then worse and worse.
var localnetQualities = []localnetQuality{
	{Name: "fast"},
	{Name: "slow", Delay: 700 * time.Millisecond},
	{Name: "flaky", WrongEvery: 2},
	{Name: "wrong", WrongEvery: 1},
	{Name: "offline", Offline: true},
}

type localnetConfig struct {
	home, network                  string
	validators, miners             int
	blockTime                      time.Duration
	tempo                          uint16
	rpcAddr, dashboardAddr, axonIP string
	metricsAddr, ethAddr           string
	axonPort                       int
	blocks                         uint64
	timeout, stepInterval          time.Duration
	alpha                          float64
	stake                          float64
	logLevel                       string
	commitReveal                   bool
}

// LocalnetNeuron is one neuron of a localnet as HOME/localnet.json records it.
type LocalnetNeuron struct {
	Name    string `json:"name"`
	Role    string `json:"role"` // owner, validator or miner
	Quality string `json:"quality,omitempty"`
	UID     uint16 `json:"uid"`
	Hotkey  string `json:"hotkey"`
	Coldkey string `json:"coldkey"`
	Wallet  string `json:"wallet"`
	Axon    string `json:"axon,omitempty"`
}

// LocalnetInfo is HOME/localnet.json: where the localnet runs and who is who.
type LocalnetInfo struct {
	RPC       string           `json:"rpc"`
	Dashboard string           `json:"dashboard,omitempty"`
	Netuid    uint16           `json:"netuid"`
	Tempo     uint16           `json:"tempo"`
	Home      string           `json:"home"`
	Neurons   []LocalnetNeuron `json:"neurons"`
}

func newLocalnetCommand() *cobra.Command {
	var c localnetConfig
	cmd := &cobra.Command{
		Use:   "localnet",
		Short: "Run a whole subnet on this machine: a fast dev chain, validators and miners of several qualities",
		Long: "localnet is the one-command demo: it starts a fast dev node in a fresh folder, creates unencrypted dev\n" +
			"wallets (0600), creates a subnet with the dev profile and starts it, registers and stakes validators,\n" +
			"registers miners of different quality (fast, slow, flaky, wrong, offline: the validators only see their\n" +
			"answers), announces their axons on a loopback address the chain accepts, and runs them all in this\n" +
			"process until Ctrl-C or --blocks N. Every epoch it prints the subnet's metagraph: the incentive follows\n" +
			"the miners' quality. With --network URL the neurons run against an existing dev chain instead\n" +
			"(//Alice pays and is sudo).",
		Example: "  gotensor localnet\n" +
			"  gotensor localnet --validators 3 --miners 8 --tempo 20 --blocks 400\n" +
			"  gotensor localnet --network ws://127.0.0.1:9944",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runLocalnet(cmd, c) },
	}
	f := cmd.Flags()
	f.StringVar(&c.home, "home", "", "folder for the chain, wallets and validator state (default: a fresh temporary folder)")
	f.StringVar(&c.network, "network", "", "run the neurons against this existing chain (ws:// URL or name) instead of starting a node")
	f.IntVar(&c.validators, "validators", 2, "number of validators")
	f.IntVar(&c.miners, "miners", 5, "number of miners (qualities cycle fast, slow, flaky, wrong, offline)")
	f.DurationVar(&c.blockTime, "block-time", dev.FastBlockTime, "time between blocks")
	f.Uint16Var(&c.tempo, "tempo", dev.FastTempo, "subnet tempo in blocks (an epoch every tempo+1 blocks)")
	f.StringVar(&c.rpcAddr, "rpc-addr", server.DefaultRPCAddr, "node JSON-RPC address (port 0 picks a free one)")
	f.StringVar(&c.metricsAddr, "metrics-addr", "", "node Prometheus metrics address (empty: off)")
	f.StringVar(&c.dashboardAddr, "dashboard-addr", "127.0.0.1:8080", "dashboard address (empty: off; port 0 picks a free one)")
	f.StringVar(&c.ethAddr, "eth-addr", "127.0.0.1:8545", "Ethereum JSON-RPC address (empty: off; port 0 picks a free one)")
	f.StringVar(&c.axonIP, "axon-ip", "127.0.0.2", "loopback address the miners bind and announce (the chain refuses 127.0.0.1)")
	f.IntVar(&c.axonPort, "axon-port", 0, "first miner's axon port, the next ones follow (0: free ports)")
	f.Uint64Var(&c.blocks, "blocks", 0, "stop after this many blocks (0: run until Ctrl-C)")
	f.DurationVar(&c.timeout, "neuron-timeout", 2*time.Second, "validators' query timeout")
	f.DurationVar(&c.stepInterval, "step-interval", 500*time.Millisecond, "validators' pause between query steps")
	f.Float64Var(&c.alpha, "moving-average-alpha", 0.1, "validators' score moving-average factor")
	f.Float64Var(&c.stake, "stake", 100, "TAO each validator stakes (capped by what the new subnet's pool holds)")
	f.BoolVar(&c.commitReveal, "commit-reveal", true, "keep the subnet's commit-reveal on (validators commit, then reveal automatically)")
	f.StringVar(&c.logLevel, "log-level", "warn", "neuron and node log level on stderr (info shows every commit and reveal)")
	return cmd
}

func runLocalnet(cmd *cobra.Command, c localnetConfig) error {
	if c.validators < 1 || c.miners < 1 {
		return errors.New("--validators and --miners must be at least 1")
	}
	if c.tempo < 2 {
		return errors.New("--tempo must be at least 2")
	}
	ip, err := netip.ParseAddr(c.axonIP)
	if err != nil || ip == netip.MustParseAddr("127.0.0.1") {
		return fmt.Errorf("--axon-ip %q: give an address the chain accepts, such as 127.0.0.2", c.axonIP)
	}
	log, err := newLogger(cmd, c.logLevel, "text")
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	ctx, stop := signalContext(cmd)
	defer stop()
	started := time.Now()

	if c.home == "" {
		if c.home, err = os.MkdirTemp("", "gotensor-localnet-"); err != nil {
			return err
		}
	} else if c.network == "" && server.HasChain(nodeDir(c.home)) {
		return fmt.Errorf("%s already holds a chain: localnet starts fresh (pick another --home or remove it)", c.home)
	}
	if err := os.MkdirAll(c.home, 0o700); err != nil {
		return err
	}

	// The chain.
	endpoint := c.network
	var node *server.Node
	if endpoint == "" {
		g, err := dev.DevGenesis(true)
		if err != nil {
			return err
		}
		g.SubnetDefaults = localnetSubnetDefaults(g.SubnetDefaults, c)
		node, err = server.Start(ctx, server.Config{Home: nodeDir(c.home), RPCAddr: c.rpcAddr, MetricsAddr: c.metricsAddr,
			BlockTime: c.blockTime, Fast: true, Genesis: &g, Logger: log.With("component", "node")})
		if err != nil {
			return fmt.Errorf("start the node: %w", err)
		}
		defer func() { _ = node.Stop() }()
		endpoint = "ws://" + node.RPCAddr.String()
	}
	dctx, dcancel := context.WithTimeout(ctx, 15*time.Second)
	chain, err := client.Dial(dctx, endpoint)
	dcancel()
	if err != nil {
		return err
	}
	defer chain.Close()

	info := LocalnetInfo{RPC: endpoint, Tempo: c.tempo, Home: c.home}
	var dash *dashboardServer
	if c.dashboardAddr != "" {
		if dash, err = startDashboard(ctx, c.dashboardAddr, endpoint, log); err != nil {
			return fmt.Errorf("dashboard: %w", err)
		}
		defer dash.Close()
		info.Dashboard = dash.URL()
	}
	fmt.Fprintf(out, "gotensor localnet in %s\n", c.home)
	if node != nil {
		fmt.Fprintf(out, "  node:      fast dev chain %s, block time %v, tempo %d\n", node.Engine.ChainID(), c.blockTime, c.tempo)
	} else {
		fmt.Fprintf(out, "  node:      existing chain (--network)\n")
	}
	fmt.Fprintf(out, "  rpc:       %s\n", endpoint)
	if dash != nil {
		fmt.Fprintf(out, "  dashboard: %s\n", dash.URL())
	} else {
		fmt.Fprintf(out, "  dashboard: off (--dashboard-addr)\n")
	}
	switch {
	case node == nil:
		fmt.Fprintf(out, "  ethereum:  whatever the chain at --network serves\n")
	case c.ethAddr == "":
		fmt.Fprintf(out, "  ethereum:  off (--eth-addr)\n")
	case ethServer == nil:
		fmt.Fprintf(out, "  ethereum:  not served by this build (build ./cmd/gotensor)\n")
	default:
		addr, err := startEthServer(ctx, node.Engine, c.ethAddr, log.With("component", "eth"))
		if err != nil {
			return fmt.Errorf("ethereum endpoint: %w", err)
		}
		fmt.Fprintf(out, "  ethereum:  http://%s (chain id and accounts in docs/evm.md)\n", addr)
	}

	// Wallets, funding, the subnet, registrations.
	lnet, err := setupLocalnet(ctx, chain, c, &info, out)
	if err != nil {
		return err
	}
	if err := writeLocalnetInfo(c.home, info); err != nil {
		return err
	}

	// The neurons.
	nctx, ncancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	errs := make(chan error, len(lnet.neurons))
	for _, n := range lnet.neurons {
		switch {
		case n.role == "miner" && !n.quality.Offline:
			m, err := miner.New(chain, n.hot, miner.Config{Netuid: info.Netuid, Delay: n.quality.Delay, WrongEvery: n.quality.WrongEvery,
				Axon:   axon.Config{IP: c.axonIP, Port: n.port, ExternalIP: c.axonIP, Logger: log.With("neuron", n.name)},
				Logger: log.With("neuron", n.name), PollInterval: c.blockTime})
			if err != nil {
				ncancel()
				return err
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := m.Run(nctx); err != nil {
					errs <- fmt.Errorf("%s: %w", n.name, err)
				}
			}()
		case n.role == "validator":
			v, err := validator.New(chain, n.hot, validator.Config{Netuid: info.Netuid, Timeout: c.timeout, StepInterval: c.stepInterval,
				Alpha: c.alpha, WeightsInterval: uint64(c.tempo) + 1, ResyncBlocks: 2,
				StatePath: filepath.Join(c.home, "validators", n.name, "state.json"), Logger: log.With("neuron", n.name)})
			if err != nil {
				ncancel()
				return err
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := v.Run(nctx); err != nil {
					errs <- fmt.Errorf("%s: %w", n.name, err)
				}
			}()
		}
	}
	fmt.Fprintf(out, "ready in %v: %d validators and %d miners on netuid %d; a metagraph table follows every epoch (Ctrl-C stops)\n",
		time.Since(started).Round(time.Millisecond), c.validators, c.miners, info.Netuid)
	runErr := watchLocalnet(nctx, chain, c, info, out, errs)
	ncancel()
	wg.Wait()
	if runErr != nil && !errors.Is(runErr, context.Canceled) {
		return runErr
	}
	fmt.Fprintln(out, "localnet stopped")
	return nil
}

// localnetSubnetDefaults adds the localnet's subnet parameters to the dev profile's.
func localnetSubnetDefaults(defs []runtime.Param, c localnetConfig) []runtime.Param {
	set := map[string]uint64{
		"tempo":                         uint64(c.tempo),
		"weights_rate_limit":            uint64(c.tempo),
		"max_allowed_validators":        uint64(c.validators),
		"commit_reveal_weights_enabled": boolU64(c.commitReveal),
	}
	var out []runtime.Param
	for _, p := range defs {
		if _, ok := set[p.Name]; !ok {
			out = append(out, p)
		}
	}
	for _, name := range []string{"tempo", "weights_rate_limit", "max_allowed_validators", "commit_reveal_weights_enabled"} {
		out = append(out, runtime.Param{Name: name, Value: set[name]})
	}
	return out
}

func boolU64(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

type localnetNeuron struct {
	name, role string
	quality    localnetQuality
	cold, hot  *keys.Keypair
	uid        uint16
	port       int
}

type localnetNet struct {
	owner   *localnetNeuron
	neurons []*localnetNeuron
}

// setupLocalnet writes the wallets, funds them from //Alice, creates and starts the subnet, and registers,
// stakes and (for offline miners) announces every neuron.
func setupLocalnet(ctx context.Context, chain *client.Node, c localnetConfig, info *LocalnetInfo, out io.Writer) (*localnetNet, error) {
	walletDir := filepath.Join(c.home, "wallets")
	mk := func(name, role, coldURI string) (*localnetNeuron, error) {
		cold, err := keys.FromURI(coldURI)
		if err != nil {
			return nil, err
		}
		hot, err := keys.FromURI("//Localnet" + strings.ReplaceAll(name, "-", "") + "Hotkey")
		if err != nil {
			return nil, err
		}
		w, err := wallet.New(name, "default", walletDir)
		if err != nil {
			return nil, err
		}
		// Unencrypted on purpose: these are throw-away dev keys (real Argon2 costs seconds and 0.5 GB per key).
		if err := w.SetColdkey(cold, wallet.WriteOptions{Overwrite: true}); err != nil {
			return nil, err
		}
		if err := w.SetHotkey(hot, wallet.WriteOptions{Overwrite: true}); err != nil {
			return nil, err
		}
		return &localnetNeuron{name: name, role: role, cold: cold, hot: hot}, nil
	}
	owner, err := mk("owner", "owner", "//Alice")
	if err != nil {
		return nil, err
	}
	lnet := &localnetNet{owner: owner}
	for i := 1; i <= c.validators; i++ {
		n, err := mk(fmt.Sprintf("validator-%d", i), "validator", fmt.Sprintf("//LocalnetValidator%d", i))
		if err != nil {
			return nil, err
		}
		lnet.neurons = append(lnet.neurons, n)
	}
	for i := 1; i <= c.miners; i++ {
		n, err := mk(fmt.Sprintf("miner-%d", i), "miner", fmt.Sprintf("//LocalnetMiner%d", i))
		if err != nil {
			return nil, err
		}
		n.quality = localnetQualities[(i-1)%len(localnetQualities)]
		if c.axonPort != 0 {
			n.port = c.axonPort + i - 1
		}
		lnet.neurons = append(lnet.neurons, n)
	}
	fmt.Fprintf(out, "  wallets:   %s (unencrypted dev keys: owner, %d validators, %d miners)\n", walletDir, c.validators, c.miners)

	// Fund every coldkey from //Alice: transactions submitted back to back, then awaited.
	var hashes []client.Hash
	for _, n := range lnet.neurons {
		amount := client.TAO(10)
		if n.role == "validator" {
			amount = client.TAO(c.stake + 10)
		}
		r, err := chain.Transfer(ctx, owner.cold, client.AccountID(n.cold.PublicKey()), amount, client.WithoutWait())
		if err != nil {
			return nil, fmt.Errorf("fund %s: %w", n.name, err)
		}
		hashes = append(hashes, r.Hash)
	}
	for _, h := range hashes {
		if _, err := chain.WaitForInclusion(ctx, h); err != nil {
			return nil, fmt.Errorf("fund the wallets: %w", err)
		}
	}

	// The subnet.
	netuid, _, err := chain.RegisterNetwork(ctx, owner.cold, client.AccountID(owner.hot.PublicKey()))
	if err != nil {
		return nil, fmt.Errorf("create the subnet: %w", err)
	}
	info.Netuid = netuid
	if c.network != "" { // an existing chain: its subnet defaults are not ours, so set them as sudo (//Alice)
		for _, p := range localnetSubnetDefaults(nil, c) {
			if _, err := chain.SudoSetHyperparameter(ctx, owner.cold, netuid, p.Name, p.Value); err != nil {
				fmt.Fprintf(out, "  warning: set %s = %d on netuid %d: %v\n", p.Name, p.Value, netuid, err)
			}
		}
	}
	if _, err := chain.StartCall(ctx, owner.cold, netuid); err != nil {
		return nil, fmt.Errorf("start the subnet (start_call): %w", err)
	}
	fmt.Fprintf(out, "  subnet:    netuid %d created by //Alice and started (tempo %d, commit-reveal %v)\n", netuid, c.tempo, c.commitReveal)
	info.Neurons = append(info.Neurons, LocalnetNeuron{Name: "owner", Role: "owner", UID: 0, Hotkey: owner.hot.SS58(), Coldkey: owner.cold.SS58(), Wallet: "owner"})

	if si, err := chain.SubnetInfo(ctx, netuid); err == nil {
		limit := si.AlphaIn.TAO() * 0.9 / float64(c.validators)
		if c.stake > limit {
			fmt.Fprintf(out, "  note:      --stake %.2f is more than the subnet pool can sell; staking %.2f TAO per validator\n", c.stake, limit)
			c.stake = limit
		}
	}
	// Registrations: submitted back to back in order (validators first, so they get the low uids), then
	// awaited; then the validators' stakes and the offline miners' announcements.
	hashes = hashes[:0]
	for _, n := range lnet.neurons {
		r, err := chain.Submit(ctx, n.cold, burnedRegisterCall(netuid, n.hot), client.WithoutWait())
		if err != nil {
			return nil, fmt.Errorf("register %s: %w", n.name, err)
		}
		hashes = append(hashes, r.Hash)
	}
	for i, h := range hashes {
		if _, err := chain.WaitForInclusion(ctx, h); err != nil {
			return nil, fmt.Errorf("register %s: %w", lnet.neurons[i].name, err)
		}
	}
	hashes = hashes[:0]
	for _, n := range lnet.neurons {
		uid, ok, err := chain.UID(ctx, netuid, client.AccountID(n.hot.PublicKey()))
		if err != nil || !ok {
			return nil, fmt.Errorf("register %s: not registered (%v)", n.name, err)
		}
		n.uid = uid
		var r *client.Receipt
		switch {
		case n.role == "validator":
			r, err = chain.AddStake(ctx, n.cold, client.AccountID(n.hot.PublicKey()), netuid, client.TAO(c.stake), client.WithoutWait())
		case n.quality.Offline: // announce an address where nothing will ever answer
			var port int
			if port, err = freePort(c.axonIP); err == nil {
				r, err = chain.ServeAxon(ctx, n.hot, netuid, client.Axon{IP: netip.MustParseAddr(c.axonIP), Port: uint16(port), Protocol: 4}, client.WithoutWait())
			}
		default:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("set up %s: %w", n.name, err)
		}
		hashes = append(hashes, r.Hash)
	}
	for _, h := range hashes {
		if _, err := chain.WaitForInclusion(ctx, h); err != nil {
			return nil, fmt.Errorf("stake and announce: %w", err)
		}
	}
	for _, n := range lnet.neurons {
		info.Neurons = append(info.Neurons, LocalnetNeuron{Name: n.name, Role: n.role, Quality: n.quality.Name, UID: n.uid,
			Hotkey: n.hot.SS58(), Coldkey: n.cold.SS58(), Wallet: n.name})
	}
	fmt.Fprintf(out, "  neurons:   %d validators staked %s each; miners registered (axons on %s)\n", c.validators, client.TAO(c.stake), c.axonIP)
	return lnet, nil
}

func freePort(ip string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func writeLocalnetInfo(home string, info LocalnetInfo) error {
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(home, "localnet.json")
	if err := os.WriteFile(path+".tmp", append(b, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(path+".tmp", path)
}

// watchLocalnet prints the metagraph after every epoch and stops after --blocks.
func watchLocalnet(ctx context.Context, chain *client.Node, c localnetConfig, info LocalnetInfo, out io.Writer, errs <-chan error) error {
	heads, err := chain.SubscribeHeads(ctx)
	if err != nil {
		return err
	}
	startHead, err := chain.Head(ctx)
	if err != nil {
		return err
	}
	var lastStep uint64
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errs:
			return err
		case h, ok := <-heads:
			if !ok {
				return ctx.Err()
			}
			si, err := chain.SubnetInfo(ctx, info.Netuid)
			if err == nil && si.LastStep != lastStep && si.LastStep != 0 {
				lastStep = si.LastStep
				if mg, err := chain.Metagraph(ctx, info.Netuid, true); err == nil {
					printLocalnetTable(out, info, mg, si)
				}
			}
			if c.blocks > 0 && h.Height >= startHead.Height+c.blocks {
				fmt.Fprintf(out, "reached --blocks %d (height %d)\n", c.blocks, h.Height)
				return nil
			}
		}
	}
}

func printLocalnetTable(out io.Writer, info LocalnetInfo, mg *client.MetagraphInfo, si *client.SubnetInfo) {
	who := map[string]LocalnetNeuron{}
	for _, n := range info.Neurons {
		who[n.Hotkey] = n
	}
	fmt.Fprintf(out, "\nepoch %d at block %d: netuid %d, %d neurons\n", si.EpochIndex, si.LastStep, info.Netuid, mg.N)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "UID\tNAME\tQUALITY\tSTAKE\tVPERMIT\tCONSENSUS\tVTRUST\tINCENTIVE\tDIVIDENDS\tEMISSION\tAXON\t")
	for uid := 0; uid < int(mg.N); uid++ {
		n := who[mg.Hotkeys[uid].SS58()]
		name, quality := n.Name, n.Quality
		if name == "" {
			name = mg.Hotkeys[uid].SS58()[:8] + "…"
		}
		if quality == "" {
			quality = "-"
		}
		permit := ""
		if mg.ValidatorPermit[uid] {
			permit = "*"
		}
		axonAddr := "-"
		if mg.Axons[uid].Served() {
			axonAddr = netip.AddrPortFrom(mg.Axons[uid].IP, mg.Axons[uid].Port).String()
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.2f\t%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%s\t\n", uid, name, quality,
			mg.TotalStake[uid].TAO(), permit, u16f(mg.Consensus[uid]), u16f(mg.ValidatorTrust[uid]), u16f(mg.Incentive[uid]),
			u16f(mg.Dividends[uid]), mg.Emission[uid].TAO(), axonAddr)
	}
	_ = tw.Flush()
}

func u16f(x uint16) float64 { return float64(x) / 65535 }

// dashboardServer is a running dashboard (`gotensor node --dashboard.addr`, `gotensor localnet`).
type dashboardServer struct {
	url    string
	srv    *http.Server
	chain  *client.Node
	cancel context.CancelFunc
	done   chan struct{}
}

// URL is the page's address.
func (d *dashboardServer) URL() string { return d.url }

// Close stops the dashboard.
func (d *dashboardServer) Close() {
	d.cancel()
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = d.srv.Shutdown(sctx)
	<-d.done
	_ = d.chain.Close()
}

// startDashboard serves the dashboard on addr, fed by the node at endpoint through sdk/client.
func startDashboard(ctx context.Context, addr, endpoint string, log *slog.Logger) (*dashboardServer, error) {
	dctx, dcancel := context.WithTimeout(ctx, 15*time.Second)
	c, err := client.Dial(dctx, endpoint)
	dcancel()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	d := dashboard.New(c, log)
	rctx, cancel := context.WithCancel(context.Background())
	ds := &dashboardServer{url: "http://" + ln.Addr().String() + "/", chain: c, cancel: cancel, done: make(chan struct{}),
		srv: &http.Server{Handler: d, ReadHeaderTimeout: 5 * time.Second}}
	go func() { _ = ds.srv.Serve(ln) }()
	go func() {
		defer close(ds.done)
		_ = d.Run(rctx)
	}()
	return ds, nil
}

func burnedRegisterCall(netuid uint16, hot *keys.Keypair) tx.Call {
	return tx.BurnedRegister{Netuid: netuid, Hotkey: hot.PublicKey()}
}
