package cli

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gotensor/gotensor/keys"
	"github.com/gotensor/gotensor/sdk/wallet"
)

func init() { commandGroups = append(commandGroups, addWalletCommands) }

// mnemonicWarning is printed with every new mnemonic.
const mnemonicWarning = "IMPORTANT: Store this mnemonic in a secure (preferably offline) place, as anyone who has possession\n" +
	"of this mnemonic can use it to regenerate the key and access your tokens. Nobody legitimate will ever ask you\n" +
	"for it: not support staff, not subnet owners, not a website."

// walletOptions are btcli's wallet-selection flags: --wallet-name, --wallet-path and --hotkey in all their
// spellings (--wallet.name, --wallet_name, --name, -p, --wallet.hotkey, -H, ...).
type walletOptions struct {
	Name, Path, Hotkey string
}

func addWalletFlags(cmd *cobra.Command, o *walletOptions, withHotkey bool) {
	cmd.Flags().StringVar(&o.Name, "wallet-name", "", "wallet name (env BT_WALLET_NAME; default \"default\")")
	cmd.Flags().StringVarP(&o.Path, "wallet-path", "p", "", "folder holding the wallets (env BT_WALLET_PATH; default ~/.bittensor/wallets)")
	if withHotkey {
		cmd.Flags().StringVarP(&o.Hotkey, "hotkey", "H", "", "hotkey name (env BT_WALLET_HOTKEY; default \"default\")")
	}
}

// resolve fills unset names from btcli's environment variables, then the config file, then the defaults.
func (o *walletOptions) resolve() {
	if o.Name == "" {
		o.Name = os.Getenv("BT_WALLET_NAME")
	}
	if o.Hotkey == "" {
		o.Hotkey = os.Getenv("BT_WALLET_HOTKEY")
	}
	if o.Path == "" {
		o.Path = os.Getenv("BT_WALLET_PATH")
	}
	if o.Name == "" || o.Hotkey == "" || o.Path == "" {
		// Then `gotensor config set`'s defaults.
		if c, err := loadConfig(); err == nil {
			o.Name = orDefault(o.Name, c.WalletName)
			o.Hotkey = orDefault(o.Hotkey, c.WalletHotkey)
			o.Path = orDefault(o.Path, c.WalletPath)
		}
	}
}

// extraWalletOptions are appended to every wallet the commands open; tests use it for cheap key derivation
// (wallet.InsecureKDFForTests, which the wallet package refuses outside test binaries).
var extraWalletOptions []wallet.Option

// open returns the selected wallet with a password prompt bound to the console.
func (o *walletOptions) open(con *console) (*wallet.Wallet, error) {
	o.resolve()
	return wallet.New(o.Name, o.Hotkey, o.Path, append([]wallet.Option{wallet.WithPrompt(con.passwordPrompt)}, extraWalletOptions...)...)
}

// passwordPrompt asks for wallet passwords on the terminal; without one it names the environment variables a
// script can use instead.
func (c *console) passwordPrompt(req wallet.PasswordRequest) (string, error) {
	if req.New {
		if !c.Interactive() {
			if pw, ok := os.LookupEnv(wallet.ColdkeyPasswordVar(req.Wallet)); ok && req.Key == "coldkey" && pw != "" {
				return pw, nil
			}
			return "", fmt.Errorf("a password is needed to encrypt the %s and there is no terminal to ask on: "+
				"set %s, or pass --no-use-password: %w", req.Key, wallet.ColdkeyPasswordVar(req.Wallet), errNotInteractive)
		}
		return c.promptNewPassword(req.Key, "--no-use-password")
	}
	if !c.Interactive() {
		return "", fmt.Errorf("the %s of wallet %q is encrypted and there is no terminal to ask for its password: "+
			"set %s (or btwallet's %s): %w", req.Key, req.Wallet, wallet.ColdkeyPasswordVar(req.Wallet),
			wallet.EnvPasswordVar(req.Path), errNotInteractive)
	}
	return c.promptSecret(fmt.Sprintf("Enter your password for the %s of wallet %q", req.Key, req.Wallet), "")
}

// walletResult is btcli's JSON shape for wallet-writing commands: {success, error, data:{...}}.
type walletResult struct {
	Success bool            `json:"success"`
	Error   string          `json:"error"`
	Data    *walletKeysData `json:"data"`
}

type walletKeysData struct {
	Name        string `json:"name"`
	Path        string `json:"path"`
	Hotkey      string `json:"hotkey,omitempty"`
	HotkeySS58  string `json:"hotkey_ss58,omitempty"`
	ColdkeySS58 string `json:"coldkey_ss58,omitempty"`
}

func addWalletCommands(root *cobra.Command) {
	w := &cobra.Command{
		Use:     "wallet",
		Aliases: []string{"w", "wallets"},
		Short:   "Create, regenerate, list and use bittensor-compatible wallets",
		Long: "wallet manages wallets laid out exactly as bittensor's: <path>/<name>/coldkey (encrypted),\n" +
			"coldkeypub.txt and hotkeys/<hotkey>, by default under ~/.bittensor/wallets, so existing wallets just work.",
	}
	w.AddCommand(
		newWalletCreateCommand(),
		newWalletNewKeyCommand("coldkey"),
		newWalletNewKeyCommand("hotkey"),
		newWalletRegenCommand("coldkey"),
		newWalletRegenCommand("hotkey"),
		newWalletRegenPubCommand("coldkey"),
		newWalletRegenPubCommand("hotkey"),
		newWalletListCommand(),
		newWalletSignCommand(),
		newWalletVerifyCommand(),
	)
	root.AddCommand(w)
}

// runWithJSONErrors wraps a command body so that with --json-output a failure still prints one JSON
// document ({"success":false,"error":...}) and exits 1.
func runWithJSONErrors(opts *outputOptions, body func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := body(cmd, args)
		if err == nil || !opts.JSON {
			return err
		}
		var exit *ExitError
		if errors.As(err, &exit) {
			return err
		}
		con := &console{opts: opts, stdout: cmd.OutOrStdout(), stderr: cmd.ErrOrStderr()}
		_ = con.JSON(walletResult{Success: false, Error: err.Error()})
		fmt.Fprintf(cmd.ErrOrStderr(), "Error: %v\n", err)
		return &ExitError{Code: 1}
	}
}

// nWordsFlag validates --n-words.
func checkWordCount(n int) error {
	if !slices.Contains(keys.ValidWordCounts, n) {
		return fmt.Errorf("--n-words must be one of 12, 15, 18, 21 or 24, not %d", n)
	}
	return nil
}

// explainWriteError turns the wallet's typed errors into advice for the command line.
func explainWriteError(err error, what string) error {
	if errors.Is(err, wallet.ErrKeyExists) {
		return fmt.Errorf("%w: pass --overwrite to replace the %s (make sure you have its mnemonic first)", err, what)
	}
	return err
}

// confirmOverwrite asks before replacing an existing key when the user did not pass --overwrite. Without a
// terminal it answers no, so the write fails with advice to pass --overwrite.
func confirmOverwrite(con *console, exists bool, overwrite *bool, what string) error {
	if !exists || *overwrite {
		return nil
	}
	ok, err := con.confirm(fmt.Sprintf("The %s already exists. Overwrite it?", what), false)
	if err != nil {
		return err
	}
	*overwrite = ok
	return nil
}

func printMnemonic(con *console, what, mnemonic string) {
	// The mnemonic goes to the terminal once. With --json-output it goes to stderr so that stdout stays one
	// JSON document and logs of stdout never hold it.
	out := con.stdout
	if con.opts.JSON {
		out = con.stderr
	}
	fmt.Fprintf(out, "\n%s\n\nThe mnemonic to the new %s is: %s\n"+
		"You can use the mnemonic to recreate the key with `gotensor wallet regen-%s` (or btcli) in case it gets lost.\n\n",
		mnemonicWarning, what, mnemonic, what)
}

func newWalletCreateCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var nWords int
	var uri string
	var overwrite bool
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a new coldkey and hotkey (or development keys with --uri)",
		Example: "  gotensor wallet create --wallet.name my --wallet.hotkey miner\n" +
			"  gotensor wallet create --uri alice --wallet-name alice --no-prompt",
		Args: cobra.NoArgs,
	}
	usePassword := addBoolPair(cmd, "use-password", true, "encrypt the coldkey with a password (default on)")
	cmd.RunE = runWithJSONErrors(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		w, err := wo.open(con)
		if err != nil {
			return err
		}
		data := &walletKeysData{Name: w.Name, Path: w.Path, Hotkey: w.HotkeyName}
		if uri != "" {
			if err := confirmOverwrite(con, w.HasColdkey() || w.HasHotkey(), &overwrite, "wallet's keys"); err != nil {
				return err
			}
			kp, err := w.CreateFromURI(uri, overwrite)
			if err != nil {
				return explainWriteError(err, "keys")
			}
			data.ColdkeySS58, data.HotkeySS58 = kp.SS58(), kp.SS58()
			kp.Wipe()
			con.Printf("Created development keys from %s (unencrypted: never use them for real funds)\n", wallet.DevURI(uri))
			con.Essentialf("coldkey %s\nhotkey  %s\n", data.ColdkeySS58, data.HotkeySS58)
			return con.JSON(walletResult{Success: true, Data: data})
		}
		if err := checkWordCount(nWords); err != nil {
			return err
		}
		if err := confirmOverwrite(con, w.HasColdkey(), &overwrite, "coldkey"); err != nil {
			return err
		}
		mnemonic, cold, err := w.CreateColdkey(nWords, wallet.WriteOptions{Encrypt: usePassword.Value(), Overwrite: overwrite})
		if err != nil {
			return explainWriteError(err, "coldkey")
		}
		data.ColdkeySS58 = cold.SS58()
		cold.Wipe()
		printMnemonic(con, "coldkey", mnemonic)
		hotOverwrite := overwrite
		if err := confirmOverwrite(con, w.HasHotkey(), &hotOverwrite, "hotkey"); err != nil {
			return err
		}
		hotMnemonic, hot, err := w.CreateHotkey(nWords, wallet.WriteOptions{Overwrite: hotOverwrite})
		if err != nil {
			return explainWriteError(err, "hotkey")
		}
		data.HotkeySS58 = hot.SS58()
		hot.Wipe()
		printMnemonic(con, "hotkey", hotMnemonic)
		con.Essentialf("Wallet %q created in %s\ncoldkey %s\nhotkey  %s (%s)\n", w.Name, w.Dir(), data.ColdkeySS58, data.HotkeySS58, w.HotkeyName)
		return con.JSON(walletResult{Success: true, Data: data})
	})
	addWalletFlags(cmd, &wo, true)
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().IntVar(&nWords, "n-words", 12, "number of mnemonic words: 12, 15, 18, 21 or 24")
	cmd.Flags().StringVar(&uri, "uri", "", "create development keys from a URI, e.g. alice for //Alice (unencrypted)")
	cmd.Flags().BoolVar(&overwrite, "overwrite", false, "replace existing keys without asking")
	return cmd
}

// newWalletNewKeyCommand builds `new-coldkey` or `new-hotkey`.
func newWalletNewKeyCommand(kind string) *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var nWords int
	var uri string
	var overwrite bool
	cmd := &cobra.Command{
		Use:     "new-" + kind,
		Aliases: []string{"new_" + kind},
		Short:   "Create a new " + kind,
		Args:    cobra.NoArgs,
	}
	usePassword := addBoolPair(cmd, "use-password", kind == "coldkey", "encrypt the "+kind+" with a password")
	cmd.RunE = runWithJSONErrors(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		w, err := wo.open(con)
		if err != nil {
			return err
		}
		exists := w.HasColdkey()
		if kind == "hotkey" {
			exists = w.HasHotkey()
		}
		if err := confirmOverwrite(con, exists, &overwrite, kind); err != nil {
			return err
		}
		wopts := wallet.WriteOptions{Encrypt: usePassword.Value(), Overwrite: overwrite}
		var kp *keys.Keypair
		var mnemonic string
		switch {
		case uri != "":
			kp, err = keys.FromURI(wallet.DevURI(uri))
			if err == nil {
				wopts.Encrypt = false
				if kind == "coldkey" {
					err = w.SetColdkey(kp, wopts)
				} else {
					err = w.SetHotkey(kp, wopts)
				}
			}
		case kind == "coldkey":
			if err = checkWordCount(nWords); err == nil {
				mnemonic, kp, err = w.CreateColdkey(nWords, wopts)
			}
		default:
			if err = checkWordCount(nWords); err == nil {
				mnemonic, kp, err = w.CreateHotkey(nWords, wopts)
			}
		}
		if err != nil {
			return explainWriteError(err, kind)
		}
		defer kp.Wipe()
		if mnemonic != "" {
			printMnemonic(con, kind, mnemonic)
		}
		data := &walletKeysData{Name: w.Name, Path: w.Path}
		if kind == "coldkey" {
			data.ColdkeySS58 = kp.SS58()
			con.Essentialf("Coldkey created: %s\n", kp.SS58())
		} else {
			data.Hotkey, data.HotkeySS58 = w.HotkeyName, kp.SS58()
			con.Essentialf("Hotkey %q created: %s\n", w.HotkeyName, kp.SS58())
		}
		return con.JSON(walletResult{Success: true, Data: data})
	})
	addWalletFlags(cmd, &wo, kind == "hotkey")
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().IntVar(&nWords, "n-words", 12, "number of mnemonic words: 12, 15, 18, 21 or 24")
	cmd.Flags().StringVar(&uri, "uri", "", "use a development key from a URI, e.g. alice for //Alice (unencrypted)")
	cmd.Flags().BoolVar(&overwrite, "overwrite", false, "replace an existing "+kind+" without asking")
	return cmd
}

var numberedWord = regexp.MustCompile(`^\d+-`)

// normalizeMnemonic accepts btcli's forms: words separated by spaces, possibly numbered ("1-word 2-word").
func normalizeMnemonic(s string) string {
	fields := strings.Fields(s)
	for i, f := range fields {
		fields[i] = strings.ToLower(numberedWord.ReplaceAllString(f, ""))
	}
	return strings.Join(fields, " ")
}

// newWalletRegenCommand builds `regen-coldkey` or `regen-hotkey`.
func newWalletRegenCommand(kind string) *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var mnemonic, seed, uri, jsonPath, jsonPassword string
	var overwrite bool
	cmd := &cobra.Command{
		Use:     "regen-" + kind,
		Aliases: []string{"regen_" + kind},
		Short:   "Regenerate a " + kind + " from its mnemonic, seed, secret URI or polkadot-js JSON backup",
		Example: "  gotensor wallet regen-" + kind + " --wallet.name my --mnemonic \"word1 word2 ... word12\"\n" +
			"  gotensor wallet regen-" + kind + " --seed 0x<64 hex>\n" +
			"  gotensor wallet regen-" + kind + " --uri //Alice",
		Args: cobra.NoArgs,
	}
	usePassword := addBoolPair(cmd, "use-password", kind == "coldkey", "encrypt the "+kind+" with a password")
	cmd.RunE = runWithJSONErrors(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		w, err := wo.open(con)
		if err != nil {
			return err
		}
		src := wallet.Source{Mnemonic: normalizeMnemonic(mnemonic), Seed: seed, URI: uri, JSONPassword: jsonPassword}
		if jsonPath != "" {
			b, err := os.ReadFile(jsonPath)
			if err != nil {
				return fmt.Errorf("reading --json file: %w", err)
			}
			src.JSON = b
			if jsonPassword == "" {
				if src.JSONPassword, err = con.promptSecret("Password of the JSON backup", "--json-password"); err != nil {
					return err
				}
			}
		}
		if src.Mnemonic == "" && src.Seed == "" && src.URI == "" && src.JSON == nil {
			m, err := con.promptSecret("Enter the mnemonic (words separated by spaces)", "--mnemonic, --seed, --json or --uri")
			if err != nil {
				return err
			}
			src.Mnemonic = normalizeMnemonic(m)
		}
		exists := w.HasColdkey()
		if kind == "hotkey" {
			exists = w.HasHotkey()
		}
		if err := confirmOverwrite(con, exists, &overwrite, kind); err != nil {
			return err
		}
		wopts := wallet.WriteOptions{Encrypt: usePassword.Value(), Overwrite: overwrite}
		var kp *keys.Keypair
		if kind == "coldkey" {
			kp, err = w.RegenColdkey(src, wopts)
		} else {
			kp, err = w.RegenHotkey(src, wopts)
		}
		if err != nil {
			return explainWriteError(err, kind)
		}
		defer kp.Wipe()
		data := &walletKeysData{Name: w.Name, Path: w.Path}
		if kind == "coldkey" {
			data.ColdkeySS58 = kp.SS58()
		} else {
			data.Hotkey, data.HotkeySS58 = w.HotkeyName, kp.SS58()
		}
		con.Essentialf("%s regenerated: %s\n", strings.ToUpper(kind[:1])+kind[1:], kp.SS58())
		return con.JSON(walletResult{Success: true, Data: data})
	})
	addWalletFlags(cmd, &wo, kind == "hotkey")
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().StringVar(&mnemonic, "mnemonic", "", "the BIP39 mnemonic (12-24 words, numbered \"1-word\" form accepted)")
	cmd.Flags().StringVar(&seed, "seed", "", "the 32-byte seed as hex")
	cmd.Flags().StringVar(&uri, "uri", "", "any secret URI: //Alice, or <mnemonic>//hard/soft///password")
	cmd.Flags().StringVar(&jsonPath, "json", "", "path of a polkadot-js JSON backup")
	cmd.Flags().StringVar(&jsonPassword, "json-password", "", "password of the JSON backup")
	cmd.Flags().BoolVar(&overwrite, "overwrite", false, "replace an existing "+kind+" without asking")
	return cmd
}

// newWalletRegenPubCommand builds `regen-coldkeypub` or `regen-hotkeypub` (watch-only keys).
func newWalletRegenPubCommand(kind string) *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var pubHex, ss58 string
	var overwrite bool
	cmd := &cobra.Command{
		Use:     "regen-" + kind + "pub",
		Aliases: []string{"regen_" + kind + "pub"},
		Short:   "Write the public " + kind + " file from an SS58 address or public key (watch-only)",
		Example: "  gotensor wallet regen-" + kind + "pub --wallet.name watch --ss58 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runWithJSONErrors(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		w, err := wo.open(con)
		if err != nil {
			return err
		}
		addr := ss58
		if pubHex != "" {
			if ss58 != "" {
				return errors.New("pass either --public-key-hex or --ss58, not both")
			}
			addr = pubHex
			if !strings.HasPrefix(addr, "0x") {
				addr = "0x" + addr
			}
		}
		if addr == "" {
			if addr, err = con.promptLine("SS58 address or public key hex", "", "--ss58 or --public-key-hex"); err != nil {
				return err
			}
		}
		var kp *keys.Keypair
		data := &walletKeysData{Name: w.Name, Path: w.Path}
		if kind == "coldkey" {
			if err := confirmOverwrite(con, w.HasColdkeypub(), &overwrite, "coldkeypub"); err != nil {
				return err
			}
			kp, err = w.RegenColdkeypub(addr, overwrite)
			if kp != nil {
				data.ColdkeySS58 = kp.SS58()
			}
		} else {
			kp, err = w.RegenHotkeypub(addr, overwrite)
			if kp != nil {
				data.Hotkey, data.HotkeySS58 = w.HotkeyName, kp.SS58()
			}
		}
		if err != nil {
			return explainWriteError(err, kind+"pub")
		}
		con.Essentialf("%spub written: %s\n", kind, kp.SS58())
		return con.JSON(walletResult{Success: true, Data: data})
	})
	addWalletFlags(cmd, &wo, kind == "hotkey")
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().StringVar(&pubHex, "public-key-hex", "", "the 32-byte public key as hex")
	cmd.Flags().StringVar(&ss58, "ss58", "", "the SS58 address")
	cmd.Flags().BoolVar(&overwrite, "overwrite", false, "replace an existing file without asking")
	return cmd
}

// walletListJSON is btcli's `wallet list --json-output` shape.
type walletListJSON struct {
	Wallets []walletListEntry `json:"wallets"`
}

type walletListEntry struct {
	Name        string            `json:"name"`
	SS58Address *string           `json:"ss58_address"`
	Hotkeys     []walletListEntry `json:"hotkeys,omitempty"`
}

func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func newWalletListCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the wallets and hotkeys under the wallet path (no password needed)",
		Args:  cobra.NoArgs,
	}
	cmd.RunE = runWithJSONErrors(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		wo.resolve()
		infos, err := wallet.List(wo.Path)
		if err != nil {
			return err
		}
		doc := walletListJSON{Wallets: []walletListEntry{}}
		root, _ := wallet.ExpandPath(wo.Path)
		if len(infos) == 0 {
			con.Printf("No wallets found in %s. Create one with `gotensor wallet create`.\n", root)
		} else {
			con.Essentialf("Wallets (%s)\n", root)
		}
		for i, info := range infos {
			entry := walletListEntry{Name: info.Name, SS58Address: optionalString(info.ColdkeySS58)}
			branch, stem := "├── ", "│   "
			if i == len(infos)-1 {
				branch, stem = "└── ", "    "
			}
			con.Essentialf("%sColdkey %s  ss58_address %s\n", branch, info.Name, orUnknown(info.ColdkeySS58))
			for j, hk := range info.Hotkeys {
				entry.Hotkeys = append(entry.Hotkeys, walletListEntry{Name: hk.Name, SS58Address: optionalString(hk.SS58)})
				hb := "├── "
				if j == len(info.Hotkeys)-1 {
					hb = "└── "
				}
				marker := ""
				if hk.PubOnly {
					marker = " (hotkeypub only)"
				}
				con.Essentialf("%s%sHotkey %s  ss58_address %s%s\n", stem, hb, hk.Name, orUnknown(hk.SS58), marker)
			}
			doc.Wallets = append(doc.Wallets, entry)
		}
		return con.JSON(doc)
	})
	addWalletFlags(cmd, &wo, false)
	addOutputFlags(cmd, &opts, false)
	return cmd
}

func orUnknown(s string) string {
	if s == "" {
		return "?"
	}
	return s
}

func newWalletSignCommand() *cobra.Command {
	var opts outputOptions
	var wo walletOptions
	var message string
	cmd := &cobra.Command{
		Use:     "sign",
		Short:   "Sign a message with the coldkey (or the hotkey with --use-hotkey)",
		Example: "  gotensor wallet sign --wallet.name my --message \"hello\"\n  gotensor wallet sign --use-hotkey --message hello --json-output",
		Args:    cobra.NoArgs,
	}
	useHotkey := addBoolPair(cmd, "use-hotkey", false, "sign with the hotkey instead of the coldkey")
	cmd.RunE = runWithJSONErrors(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		if !cmd.Flags().Changed("message") {
			if message, err = con.promptLine("Message to sign", "", "--message"); err != nil {
				return err
			}
		}
		w, err := wo.open(con)
		if err != nil {
			return err
		}
		var kp *keys.Keypair
		if useHotkey.Value() {
			kp, err = w.Hotkey()
		} else {
			kp, err = w.Coldkey()
		}
		if err != nil {
			return err
		}
		defer kp.Wipe()
		sig, err := kp.Sign([]byte(message))
		if err != nil {
			return err
		}
		sigHex := hex.EncodeToString(sig[:])
		con.Printf("Message signed successfully by %s\n", kp.SS58())
		con.Essentialf("%s\n", sigHex)
		return con.JSON(map[string]any{"success": true, "signed_message": sigHex, "signer_address": kp.SS58()})
	})
	addWalletFlags(cmd, &wo, true)
	addOutputFlags(cmd, &opts, true)
	cmd.Flags().StringVar(&message, "message", "", "the message to sign (signed as its UTF-8 bytes)")
	return cmd
}

func newWalletVerifyCommand() *cobra.Command {
	var opts outputOptions
	var message, signature, address string
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Verify a message's signature against an SS58 address or public key; exits 1 when invalid",
		Example: "  gotensor wallet verify --message hello --signature <hex> --address 5GrwvaEF...\n" +
			"  gotensor wallet verify -m hello -s <hex> -a 0x<public key hex> --json-output",
		Args: cobra.NoArgs,
	}
	cmd.RunE = runWithJSONErrors(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		if !cmd.Flags().Changed("message") {
			if message, err = con.promptLine("Message", "", "--message"); err != nil {
				return err
			}
		}
		if signature == "" {
			if signature, err = con.promptLine("Signature (hex)", "", "--signature"); err != nil {
				return err
			}
		}
		if address == "" {
			if address, err = con.promptLine("SS58 address or public key hex", "", "--address"); err != nil {
				return err
			}
		}
		pub, err := wallet.PublicFromString(address)
		if err != nil {
			return fmt.Errorf("--address: %w", err)
		}
		sig, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(signature), "0x"))
		if err != nil || len(sig) != keys.SignatureSize {
			return fmt.Errorf("--signature must be %d bytes of hex (got %q)", keys.SignatureSize, signature)
		}
		valid := pub.Verify([]byte(message), sig)
		if err := con.JSON(map[string]any{"success": true, "verified": valid, "signer_address": pub.SS58()}); err != nil {
			return err
		}
		if !valid {
			con.Essentialf("Signature is INVALID for %s\n", pub.SS58())
			return &ExitError{Code: 1}
		}
		con.Essentialf("Signature is valid for %s\n", pub.SS58())
		return nil
	})
	addOutputFlags(cmd, &opts, false)
	cmd.Flags().StringVarP(&message, "message", "m", "", "the signed message")
	cmd.Flags().StringVarP(&signature, "signature", "s", "", "the signature as hex")
	cmd.Flags().StringVarP(&address, "address", "a", "", "the signer's SS58 address or 0x public key (alias --public-key)")
	return cmd
}
