package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/client"
	"github.com/gotensor/gotensor/sdk/substrate"
	"github.com/gotensor/gotensor/sdk/substrate/metadata"
	"github.com/gotensor/gotensor/sdk/substrate/rpc"
	"github.com/gotensor/gotensor/sdk/wallet"
)

// Exit codes of every command that talks to a chain (docs/cli.md "Exit codes").
const (
	exitError       = 1 // anything else
	exitUsage       = 2 // bad or missing input: a flag, an address, an amount
	exitChainRefuse = 3 // the chain refused or failed the transaction (the error name says why)
	exitNoNode      = 4 // no node at the endpoint, the connection dropped, or a deadline passed
)

// substrateNetworks are btcli's built-in names of Substrate networks, reached through the substrate backend.
var substrateNetworks = map[string]string{
	"finney":      "wss://entrypoint-finney.opentensor.ai:443",
	"test":        "wss://test.finney.opentensor.ai:443",
	"archive":     "wss://archive.chain.opentensor.ai:443",
	"dev":         "wss://dev.chain.opentensor.ai:443",
	"rao":         "wss://rao.chain.opentensor.ai:443",
	"latent-lite": "wss://lite.sub.latent.to:443",
}

// chainOptions select the chain: --network in all btcli spellings (--subtensor.network, --chain,
// --subtensor.chain_endpoint), then $GOTENSOR_NETWORK / $BT_SUBTENSOR_NETWORK, then the config file's
// network, then "local" (ws://127.0.0.1:9944, a gotensor node's default address).
type chainOptions struct {
	Network []string
	Timeout time.Duration
}

func addChainFlags(cmd *cobra.Command, o *chainOptions) {
	cmd.Flags().StringArrayVar(&o.Network, "network", nil,
		"network: local (ws://127.0.0.1:9944, the default), finney, test, archive, or a ws://, wss://, http:// URL "+
			"of a gotensor node or a subtensor node (probed) (env GOTENSOR_NETWORK; config key network)")
	cmd.Flags().DurationVar(&o.Timeout, "timeout", 2*time.Minute, "give up on the chain after this long")
}

// backendKind says which client a network is reached with.
type backendKind int

const (
	backendProbe     backendKind = iota // ask the endpoint: a subtensor node or a gotensor node
	backendSubstrate                    // a Substrate network by name (finney, test, archive, ...)
)

// target is the resolved network: the endpoint, the label to print and how to reach it.
type target struct {
	url, label, name string
	kind             backendKind
}

// resolveNetwork returns the endpoint URL and the label to print.
func (o *chainOptions) resolveNetwork() (endpoint, label string, err error) {
	t, err := o.resolveTarget()
	return t.url, t.label, err
}

func (o *chainOptions) resolveTarget() (target, error) {
	name := ""
	// btcli: the flag may be repeated; the first ws… value wins, else the last name.
	for _, v := range o.Network {
		if strings.Contains(v, "://") {
			name = v
			break
		}
		name = v
	}
	if name == "" {
		name = firstEnv("GOTENSOR_NETWORK", "BT_SUBTENSOR_NETWORK", "BT_SUBTENSOR_CHAIN_ENDPOINT")
	}
	if name == "" {
		if cfg, err := loadConfig(); err == nil {
			name = cfg.Network
		}
	}
	if name == "" {
		name = "local"
	}
	if u, ok := substrateNetworks[name]; ok {
		return target{url: u, label: name + " (" + u + ")", name: name, kind: backendSubstrate}, nil
	}
	u, err := client.ResolveEndpoint(name)
	if err != nil {
		return target{}, usageErr(err)
	}
	if name == u {
		return target{url: u, label: "custom (" + u + ")", name: u}, nil
	}
	return target{url: u, label: name + " (" + u + ")", name: name}, nil
}

// probeSubstrate asks the endpoint for its runtime version: a subtensor node answers with spec name
// "node-subtensor"; a gotensor node has no such method. Unreachable endpoints report false (the gotensor
// client then says that no node answers).
func probeSubstrate(ctx context.Context, url string) bool {
	var t rpc.Transport
	switch {
	case strings.HasPrefix(url, "ws://"), strings.HasPrefix(url, "wss://"):
		t = rpc.NewWS(url)
	case strings.HasPrefix(url, "http://"), strings.HasPrefix(url, "https://"):
		t = rpc.NewHTTP(url, nil)
	default:
		return false
	}
	defer t.Close()
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, isSubtensor, err := substrate.Probe(pctx, t)
	return err == nil && isSubtensor
}

// dialTarget connects the backend the network needs: the substrate backend for a Substrate network by
// name or an endpoint whose runtime is subtensor's, else the gotensor node client.
func dialTarget(ctx context.Context, tg target, opts ...client.Option) (client.Chain, error) {
	if tg.kind == backendSubstrate || probeSubstrate(ctx, tg.url) {
		return dialSubstrate(ctx, tg)
	}
	return client.Dial(ctx, tg.url, opts...)
}

// dialSubstrate connects the substrate backend and checks that a subtensor node answers.
func dialSubstrate(ctx context.Context, t target) (*client.Substrate, error) {
	network := t.url
	if _, err := substrate.LookupNetwork(t.name); err == nil && !strings.Contains(t.name, "://") {
		network = t.name // the built-in entry also knows the archive endpoint and the genesis hash
	}
	c, err := client.DialSubstrate(ctx, network, substrate.Options{Cache: metadataCache()})
	if err != nil {
		return nil, err
	}
	if _, err := c.Head(ctx); err != nil {
		c.Close()
		var re *rpc.Error
		if errors.As(err, &re) || ctx.Err() != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w at %s: no subtensor node answers (%v)", client.ErrNoNode, t.url, err)
	}
	return c, nil
}

// metadataCache keeps runtime metadata under the gotensor home (~/.gotensor/metadata), per genesis and
// spec version, so a command fetches the ~300 KB metadata only when the runtime changes.
func metadataCache() *metadata.Cache {
	return metadata.NewCache(filepath.Join(defaultHome(), "metadata"))
}

func firstEnv(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}

// session is one command's connection and context.
type session struct {
	ctx     context.Context
	cancel  context.CancelFunc
	chain   client.Chain
	network string
}

func (s *session) Close() {
	if s.chain != nil {
		s.chain.Close()
	}
	s.cancel()
}

// connect dials the selected node under the command's deadline; Ctrl-C cancels.
func (o *chainOptions) connect(cmd *cobra.Command) (*session, error) {
	tg, err := o.resolveTarget()
	if err != nil {
		return nil, err
	}
	label := tg.label
	ctx, cancel := context.WithTimeout(cmd.Context(), o.Timeout)
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	c, err := dialTarget(ctx, tg)
	if err != nil {
		stop()
		cancel()
		return nil, fmt.Errorf("connect to %s: %w", label, err)
	}
	return &session{ctx: ctx, cancel: func() { stop(); cancel() }, chain: c, network: label}, nil
}

// usageError marks an error as the user's input (exit code 2).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usageErr(err error) error { return &usageError{err} }

// hintedError carries advice for the user next to an error.
type hintedError struct {
	err  error
	hint string
}

func (e *hintedError) Error() string { return e.err.Error() }
func (e *hintedError) Unwrap() error { return e.err }

func withHint(err error, hint string) error {
	if err == nil || hint == "" {
		return err
	}
	return &hintedError{err: err, hint: hint}
}

// staticHints are the advice for chain errors that needs no chain state (docs/chain.md §9 names).
var staticHints = map[string]string{
	"InsufficientBalance":                      "the account's free balance is too small: check it with `gotensor wallet balance`",
	"NotEnoughBalanceToStake":                  "the coldkey's free balance does not cover the amount: check it with `gotensor wallet balance`",
	"ExistentialDeposit":                       "a new account must receive at least τ0.000000500",
	"SubNetRegistrationDisabled":               "registration is disabled on this subnet (registration_allowed / network_pow_registration_allowed): ask the owner or pick another subnet",
	"CommitRevealEnabled":                      "commit-reveal is on for this subnet: use `gotensor weights set` (it commits and schedules the reveal) or `gotensor weights commit --auto-reveal`",
	"CommitRevealDisabled":                     "commit-reveal is off for this subnet: use `gotensor weights set`",
	"HotKeyNotRegisteredInSubNet":              "register the hotkey first: `gotensor subnets register --netuid N`",
	"HotKeyNotRegisteredInNetwork":             "register the hotkey on a subnet first: `gotensor subnets register --netuid N`",
	"HotKeyAccountNotExists":                   "the hotkey has no owner yet: register it or run `gotensor wallet associate-hotkey`",
	"NonAssociatedColdKey":                     "the hotkey belongs to another coldkey",
	"NeuronNoValidatorPermit":                  "this uid has no validator permit: add stake (`gotensor stake add`) and wait for the next epoch",
	"NotEnoughStakeToSetWeights":               "the hotkey's stake weight is below stake_threshold: add stake with `gotensor stake add`",
	"SubnetNotExists":                          "no such subnet: see `gotensor subnets list`",
	"MechanismDoesNotExist":                    "no such subnet: see `gotensor subnets list`",
	"SubtokenDisabled":                         "the subnet is not started: its owner runs `gotensor subnets start --netuid N`",
	"FaucetDisabled":                           "the faucet exists on dev chains only",
	"BadOrigin":                                "the signing key may not do this (subnet owner or sudo only)",
	"CannotAffordLockCost":                     "the coldkey cannot pay the subnet lock cost: see `gotensor subnets burn-cost`",
	"NotEnoughStakeToWithdraw":                 "there is not that much stake: see `gotensor stake list`",
	"AmountTooLow":                             "the amount is below the minimum stake (τ0.002000000)",
	"IncorrectWeightVersionKey":                "pass --version-key at least the subnet's weights_version",
	"WeightVecLengthIsLow":                     "set at least min_allowed_weights weights (see `gotensor subnets hyperparameters`)",
	"UidVecContainInvalidOne":                  "a uid is not on the subnet: see `gotensor subnets show`",
	"DuplicateUids":                            "each uid may appear once",
	"InvalidIpAddress":                         "use a public IP address (127.0.0.1 is refused)",
	"ServingRateLimitExceeded":                 "the axon was served too recently (serving_rate_limit): try again later",
	"InvalidPort":                              "the port must not be 0",
	"NoWeightsCommitFound":                     "there is no pending commit for this hotkey: see `gotensor weights status`",
	"InvalidRevealCommitHashNotMatch":          "uids, weights, salt and version key must be exactly those committed",
	"ExpiredWeightCommit":                      "the reveal window passed: commit again",
	"FirstEmissionBlockNumberAlreadySet":       "the subnet is already started",
	"TooManyUnrevealedCommits":                 "reveal the pending commits first: `gotensor weights reveal-pending`",
	"DelegateTakeTooHigh":                      "the take may be at most 18% (0.18)",
	"DelegateTakeTooLow":                       "to lower the take pass a value below the current one; to raise it, above",
	"HotKeyAlreadyRegisteredInSubNet":          "the hotkey is already registered on this subnet",
	"UnknownParameter":                         "see `gotensor sudo get --netuid N` for the names",
	"ParameterNotSettable":                     "this parameter cannot be set after genesis",
	"StakingOperationRateLimitExceeded":        "wait one block after adding stake before removing it",
	"InsufficientLiquidity":                    "the subnet pool cannot cover this amount",
	"NeedWaitingMoreBlocksToStarCall":          "the subnet cannot be started yet: try again later",
	"RegistrationNotPermittedOnRootSubnet":     "use `gotensor subnets root-register` for netuid 0",
	"AdminActionProhibitedDuringWeightsWindow": "the subnet is in its admin freeze window before the epoch: try again after the epoch",
}

// classify maps an error to an exit code, the chain's error name and a hint.
func classify(err error) (code int, name, hint string) {
	var he *hintedError
	if errors.As(err, &he) {
		hint = he.hint
	}
	var ue *usageError
	var te *client.TxError
	switch {
	case errors.As(err, &ue), errors.Is(err, errNotInteractive):
		code = exitUsage
	case errors.As(err, &te):
		code, name = exitChainRefuse, te.Name
		if hint == "" {
			hint = staticHints[te.Name]
		}
	case errors.Is(err, client.ErrNoNode):
		code = exitNoNode
		if hint == "" {
			hint = "no node answers there: start one with `gotensor node --dev` or pass --network ws://HOST:PORT"
		}
	case errors.Is(err, client.ErrConnectionLost), errors.Is(err, client.ErrTimeout),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, client.ErrClosed):
		code = exitNoNode
	default:
		code = exitError
	}
	return code, name, hint
}

// errorDoc is the one JSON document printed with --json-output when a command fails.
type errorDoc struct {
	Success   bool   `json:"success"`
	Error     string `json:"error"`
	ErrorName string `json:"error_name,omitempty"`
	Hint      string `json:"hint,omitempty"`
	ExitCode  int    `json:"exit_code"`
}

// runChainCmd wraps a command body: on failure it prints the error (with the chain's error name and a
// hint) on stderr, with --json-output also {"success":false,...} on stdout, and exits with the code that
// classify gives.
func runChainCmd(opts *outputOptions, body func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := body(cmd, args)
		if err == nil {
			return nil
		}
		var exit *ExitError
		if errors.As(err, &exit) {
			return err
		}
		code, name, hint := classify(err)
		msg := err.Error()
		if name != "" && !strings.Contains(msg, name) {
			msg += " (" + name + ")"
		}
		line := "Error: " + msg
		if name != "" {
			line = "Error: " + name + ": " + orDefault(hint, msg)
			if hint != "" {
				line += "\n  (" + msg + ")"
			}
		} else if hint != "" {
			line += "\nHint: " + hint
		}
		fmt.Fprintln(cmd.ErrOrStderr(), line)
		if opts.JSON {
			con := &console{opts: opts, stdout: cmd.OutOrStdout(), stderr: cmd.ErrOrStderr()}
			_ = con.JSON(errorDoc{Success: false, Error: msg, ErrorName: name, Hint: hint, ExitCode: code})
		}
		return &ExitError{Code: code}
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// parseTAO reads an amount in TAO ("1.5", "τ1.5", "0.000000001") exactly, without floating point.
func parseTAO(s, flag string) (client.Balance, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "τ"))
	s = strings.ReplaceAll(s, "_", "")
	bad := usageErr(fmt.Errorf("%s: %q is not an amount in TAO (e.g. 1.5)", flag, s))
	if s == "" || strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		return 0, bad
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if len(frac) > 9 {
		return 0, usageErr(fmt.Errorf("%s: %q has more than 9 decimals (1 rao = 0.000000001 TAO)", flag, s))
	}
	w, err := strconv.ParseUint(whole, 10, 64)
	if err != nil {
		return 0, bad
	}
	var f uint64
	if frac != "" {
		if f, err = strconv.ParseUint(frac+strings.Repeat("0", 9-len(frac)), 10, 64); err != nil {
			return 0, bad
		}
	}
	if w > (1<<64-1-f)/client.RaoPerTAO {
		return 0, usageErr(fmt.Errorf("%s: %q is too large", flag, s))
	}
	return client.Balance(w*client.RaoPerTAO + f), nil
}

// taoJSON is an amount in JSON: TAO as a number with nine decimals exactly and rao as an integer.
type taoJSON struct {
	TAO json.Number `json:"tao"`
	Rao uint64      `json:"rao"`
}

func amountJSON(b client.Balance) taoJSON {
	return taoJSON{TAO: json.Number(strings.TrimPrefix(b.String(), "τ")), Rao: uint64(b)}
}

// parseAccountFlag reads an SS58 address or 0x-hex public key; a bad one is a usage error naming the flag.
func parseAccountFlag(s, flag string) (client.AccountID, error) {
	a, err := client.ParseAccount(strings.TrimSpace(s))
	if err != nil {
		return a, usageErr(fmt.Errorf("%s: %q is not a valid SS58 address or public key: %v", flag, s, err))
	}
	return a, nil
}

// addressOrHotkey resolves a value that may be an SS58 address or the name of a hotkey in the wallet.
func addressOrHotkey(w *wallet.Wallet, v, flag string) (client.AccountID, error) {
	if a, err := client.ParseAccount(v); err == nil {
		return a, nil
	}
	hw, err := w.WithHotkey(v)
	if err != nil {
		return client.AccountID{}, usageErr(fmt.Errorf("%s: %q is neither an SS58 address nor a hotkey name", flag, v))
	}
	kp, err := hw.Hotkeypub()
	if err != nil {
		return client.AccountID{}, usageErr(fmt.Errorf("%s: %q is neither an SS58 address nor a hotkey of wallet %q: %v", flag, v, w.Name, err))
	}
	return kp.PublicKey(), nil
}

// coldkeypub reads the wallet's public coldkey (no password needed).
func coldkeypub(w *wallet.Wallet) (client.AccountID, error) {
	kp, err := w.Coldkeypub()
	if err != nil {
		return client.AccountID{}, fmt.Errorf("wallet %q: %w (create it with `gotensor wallet create`)", w.Name, err)
	}
	return kp.PublicKey(), nil
}

// hotkeypub reads the wallet's selected public hotkey.
func hotkeypub(w *wallet.Wallet) (client.AccountID, error) {
	kp, err := w.Hotkeypub()
	if err != nil {
		return client.AccountID{}, fmt.Errorf("hotkey %q of wallet %q: %w", w.HotkeyName, w.Name, err)
	}
	return kp.PublicKey(), nil
}

// unlockColdkey decrypts the coldkey (prompting or reading the password variable).
func unlockColdkey(w *wallet.Wallet) (*keys.Keypair, error) {
	kp, err := w.Coldkey()
	if err != nil {
		return nil, fmt.Errorf("unlock the coldkey of wallet %q: %w", w.Name, err)
	}
	return kp, nil
}

func unlockHotkey(w *wallet.Wallet) (*keys.Keypair, error) {
	kp, err := w.Hotkey()
	if err != nil {
		return nil, fmt.Errorf("hotkey %q of wallet %q: %w", w.HotkeyName, w.Name, err)
	}
	return kp, nil
}

// netuidFlag reads --netuid, prompting when it was not given and a terminal is there.
func netuidValue(cmd *cobra.Command, con *console, v *uint16) error {
	if cmd.Flags().Changed("netuid") {
		return nil
	}
	s, err := con.promptLine("Netuid", "", "--netuid")
	if err != nil {
		return usageErr(err)
	}
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil {
		return usageErr(fmt.Errorf("netuid %q: %v", s, err))
	}
	*v = uint16(n)
	return nil
}

// confirmTx asks before a state-changing call; without a terminal it proceeds only with --no-prompt
// (or --json-output, which implies no prompting), and fails naming --no-prompt otherwise.
func confirmTx(con *console, question string) error {
	if con.opts.NoPrompt || con.opts.JSON {
		return nil
	}
	if !con.Interactive() {
		return usageErr(fmt.Errorf("%s: confirmation needed and there is no terminal: pass --no-prompt (-y): %w", question, errNotInteractive))
	}
	ok, err := con.confirm(question, false)
	if err != nil {
		return err
	}
	if !ok {
		return &ExitError{Code: exitError}
	}
	return nil
}

// stderrIsTerminal reports whether a spinner can be drawn.
func (c *console) stderrIsTerminal() bool {
	f, ok := c.stderr.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// waiting runs fn while a spinner (on a terminal) or one line (otherwise) tells the user what is being
// waited for. --quiet and --json-output silence it.
func (c *console) waiting(what string, fn func() error) error {
	if c.opts.Quiet || c.opts.JSON {
		return fn()
	}
	if !c.stderrIsTerminal() {
		fmt.Fprintf(c.stderr, "%s ...\n", what)
		return fn()
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		frames := []rune("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
		start := time.Now()
		t := time.NewTicker(120 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			select {
			case <-done:
				fmt.Fprintf(c.stderr, "\r\033[K")
				return
			case <-t.C:
				fmt.Fprintf(c.stderr, "\r%c %s (%s)", frames[i%len(frames)], what, time.Since(start).Truncate(100*time.Millisecond))
			}
		}
	}()
	err := fn()
	close(done)
	<-finished
	return err
}

// findOrAddGroup returns root's subcommand name, creating it (with the given help) if absent.
func findOrAddGroup(root *cobra.Command, name, short string, aliases ...string) *cobra.Command {
	for _, c := range root.Commands() {
		if c.Name() == name {
			return c
		}
	}
	g := &cobra.Command{Use: name, Short: short, Aliases: aliases}
	root.AddCommand(g)
	return g
}

// u16Frac renders a u16 fraction (x / 65535) with five decimals.
func u16Frac(x uint16) string { return strconv.FormatFloat(float64(x)/65535, 'f', 5, 64) }

func u16FracF(x uint16) float64 { return float64(x) / 65535 }

// openWalletSession opens the wallet, then connects to the chain. The caller closes the session.
func openWalletSession(cmd *cobra.Command, con *console, wo *walletOptions, co *chainOptions) (*wallet.Wallet, *session, error) {
	w, err := wo.open(con)
	if err != nil {
		return nil, nil, err
	}
	s, err := co.connect(cmd)
	if err != nil {
		return nil, nil, err
	}
	return w, s, nil
}

// openHotkeySession opens the wallet, reads its hotkey, then connects to the chain, in that order.
// The caller closes the session.
func openHotkeySession(cmd *cobra.Command, con *console, wo *walletOptions, co *chainOptions) (*wallet.Wallet, client.AccountID, *session, error) {
	w, err := wo.open(con)
	if err != nil {
		return nil, client.AccountID{}, nil, err
	}
	hk, err := hotkeypub(w)
	if err != nil {
		return nil, client.AccountID{}, nil, err
	}
	s, err := co.connect(cmd)
	if err != nil {
		return nil, client.AccountID{}, nil, err
	}
	return w, hk, s, nil
}

// openHotkeyCommand is the setup of a command that acts with the wallet's hotkey: the console,
// then openHotkeySession. The caller closes the session.
func openHotkeyCommand(cmd *cobra.Command, opts *outputOptions, wo *walletOptions, co *chainOptions) (*console, *wallet.Wallet, client.AccountID, *session, error) {
	con, err := newConsole(cmd, opts)
	if err != nil {
		return nil, nil, client.AccountID{}, nil, err
	}
	w, hk, s, err := openHotkeySession(cmd, con, wo, co)
	if err != nil {
		return nil, nil, client.AccountID{}, nil, err
	}
	return con, w, hk, s, nil
}

// openSigningHotkeySession opens the wallet, unlocks its hotkey, then connects to the chain. The
// returned done closes the session and then wipes the hotkey; the caller defers it.
func openSigningHotkeySession(cmd *cobra.Command, con *console, wo *walletOptions, co *chainOptions) (*wallet.Wallet, *keys.Keypair, *session, func(), error) {
	w, err := wo.open(con)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	hot, err := unlockHotkey(w)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	s, err := co.connect(cmd)
	if err != nil {
		hot.Wipe()
		return nil, nil, nil, nil, err
	}
	return w, hot, s, func() { s.Close(); hot.Wipe() }, nil
}

// newNetuidConsole is newConsole followed by netuidValue (which may prompt for --netuid).
func newNetuidConsole(cmd *cobra.Command, opts *outputOptions, netuid *uint16) (*console, error) {
	con, err := newConsole(cmd, opts)
	if err != nil {
		return nil, err
	}
	if err := netuidValue(cmd, con, netuid); err != nil {
		return nil, err
	}
	return con, nil
}
