package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"
	yaml "go.yaml.in/yaml/v3"
)

func init() { commandGroups = append(commandGroups, addConfigCommands) }

// fileConfig is ~/.gotensor/config.yml (or $GOTENSOR_CONFIG): btcli's keys where they apply.
type fileConfig struct {
	Network           string   `yaml:"network"`
	WalletName        string   `yaml:"wallet_name"`
	WalletPath        string   `yaml:"wallet_path"`
	WalletHotkey      string   `yaml:"wallet_hotkey"`
	UseCache          *bool    `yaml:"use_cache,omitempty"`
	RateTolerance     *float64 `yaml:"rate_tolerance,omitempty"`
	SafeStaking       *bool    `yaml:"safe_staking,omitempty"`
	AllowPartialStake *bool    `yaml:"allow_partial_stake,omitempty"`
	DashboardPath     string   `yaml:"dashboard_path,omitempty"`
}

// configPath is $GOTENSOR_CONFIG, else <gotensor home>/config.yml ($GOTENSOR_HOME or ~/.gotensor).
func configPath() string {
	if p := os.Getenv("GOTENSOR_CONFIG"); p != "" {
		return p
	}
	return filepath.Join(defaultHome(), "config.yml")
}

// loadConfig reads the config file; a missing file is an empty config.
func loadConfig() (*fileConfig, error) {
	var c fileConfig
	b, err := os.ReadFile(configPath())
	if errors.Is(err, fs.ErrNotExist) {
		return &c, nil
	}
	if err != nil {
		return nil, err
	}
	if err := yaml.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", configPath(), err)
	}
	return &c, nil
}

func saveConfig(c *fileConfig) error {
	b, err := yaml.Marshal(c)
	if err != nil {
		return err
	}
	p := configPath()
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}

// configKeys are the settable keys in display order.
var configKeys = []struct{ key, flag, help string }{
	{"network", "network", "network name or ws:// URL"},
	{"wallet_name", "wallet-name", "default wallet name"},
	{"wallet_path", "wallet-path", "default wallet folder"},
	{"wallet_hotkey", "hotkey", "default hotkey name"},
	{"use_cache", "cache", "cache chain reads (accepted for btcli compatibility)"},
	{"rate_tolerance", "tolerance", "stake price tolerance (fraction, e.g. 0.005)"},
	{"safe_staking", "safe-staking", "safe staking (true/false)"},
	{"allow_partial_stake", "allow-partial-stake", "allow partial stake (true/false)"},
	{"dashboard_path", "dashboard-path", "where dashboards are saved"},
}

func (c *fileConfig) get(key string) string {
	switch key {
	case "network":
		return c.Network
	case "wallet_name":
		return c.WalletName
	case "wallet_path":
		return c.WalletPath
	case "wallet_hotkey":
		return c.WalletHotkey
	case "use_cache":
		return fmtBoolPtr(c.UseCache)
	case "rate_tolerance":
		if c.RateTolerance == nil {
			return ""
		}
		return strconv.FormatFloat(*c.RateTolerance, 'f', -1, 64)
	case "safe_staking":
		return fmtBoolPtr(c.SafeStaking)
	case "allow_partial_stake":
		return fmtBoolPtr(c.AllowPartialStake)
	case "dashboard_path":
		return c.DashboardPath
	}
	return ""
}

func fmtBoolPtr(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

func (c *fileConfig) set(key, v string) error {
	parseBool := func() (*bool, error) {
		if v == "" {
			return nil, nil
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, usageErr(fmt.Errorf("%s: %q is not true or false", key, v))
		}
		return &b, nil
	}
	var err error
	switch key {
	case "network":
		if v != "" {
			if _, ok := substrateNetworks[v]; !ok {
				o := chainOptions{Network: []string{v}}
				if _, _, err := o.resolveNetwork(); err != nil {
					return err
				}
			}
		}
		c.Network = v
	case "wallet_name":
		c.WalletName = v
	case "wallet_path":
		c.WalletPath = v
	case "wallet_hotkey":
		c.WalletHotkey = v
	case "use_cache":
		c.UseCache, err = parseBool()
	case "rate_tolerance":
		if v == "" {
			c.RateTolerance = nil
			return nil
		}
		f, perr := strconv.ParseFloat(v, 64)
		if perr != nil || f < 0 || f > 1 {
			return usageErr(fmt.Errorf("rate_tolerance: %q is not a fraction between 0 and 1", v))
		}
		c.RateTolerance = &f
	case "safe_staking":
		c.SafeStaking, err = parseBool()
	case "allow_partial_stake":
		c.AllowPartialStake, err = parseBool()
	case "dashboard_path":
		c.DashboardPath = v
	default:
		return usageErr(fmt.Errorf("unknown config key %q", key))
	}
	return err
}

func addConfigCommands(root *cobra.Command) {
	g := &cobra.Command{
		Use:     "config",
		Aliases: []string{"conf", "c"},
		Short:   "Read and write ~/.gotensor/config.yml (default network, wallet, hotkey)",
	}
	g.AddCommand(newConfigSetCommand(), newConfigGetCommand(), newConfigClearCommand())
	scriptableFlagErrors(g)
	root.AddCommand(g)
}

func newConfigSetCommand() *cobra.Command {
	var opts outputOptions
	vals := map[string]*string{}
	cmd := &cobra.Command{
		Use:     "set",
		Short:   "Set default values (network, wallet name/path, hotkey, ...)",
		Example: "  gotensor config set --network ws://127.0.0.1:9944 --wallet-name my --hotkey miner",
		Args:    cobra.NoArgs,
	}
	for _, k := range configKeys {
		vals[k.key] = cmd.Flags().String(k.flag, "", k.help)
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		c, err := loadConfig()
		if err != nil {
			return err
		}
		changed := 0
		for _, k := range configKeys {
			if cmd.Flags().Changed(k.flag) {
				if err := c.set(k.key, *vals[k.key]); err != nil {
					return err
				}
				changed++
			}
		}
		if changed == 0 {
			if !con.Interactive() {
				return usageErr(fmt.Errorf("nothing to set: pass e.g. --network or --wallet-name: %w", errNotInteractive))
			}
			for i, k := range configKeys {
				fmt.Fprintf(con.stderr, "%d) %s = %s\n", i+1, k.key, c.get(k.key))
			}
			ans, err := con.promptLine("Which key (number or name)", "", "")
			if err != nil {
				return err
			}
			key := ans
			if n, err := strconv.Atoi(ans); err == nil && n >= 1 && n <= len(configKeys) {
				key = configKeys[n-1].key
			}
			v, err := con.promptLine("Value for "+key, "", "")
			if err != nil {
				return err
			}
			if err := c.set(key, v); err != nil {
				return err
			}
		}
		if err := saveConfig(c); err != nil {
			return err
		}
		con.Printf("Config saved to %s\n", configPath())
		return con.JSON(configDoc(c, true))
	})
	addOutputFlags(cmd, &opts, true)
	return cmd
}

func configDoc(c *fileConfig, success bool) map[string]any {
	m := map[string]any{"path": configPath()}
	for _, k := range configKeys {
		m[k.key] = c.get(k.key)
	}
	return map[string]any{"success": success, "config": m}
}

func newConfigGetCommand() *cobra.Command {
	var opts outputOptions
	cmd := &cobra.Command{
		Use:     "get",
		Short:   "Print the config file's values",
		Example: "  gotensor config get\n  gotensor config get --json-output",
		Args:    cobra.NoArgs,
	}
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		c, err := loadConfig()
		if err != nil {
			return err
		}
		if opts.JSON {
			return con.JSON(configDoc(c, true))
		}
		t := &table{Title: "gotensor config: " + configPath(), Cols: []column{{Name: "Name"}, {Name: "Value"}}}
		for _, k := range configKeys {
			t.add(k.key, c.get(k.key))
		}
		t.render(con.stdout, terminalWidth(con.stdout))
		return nil
	})
	addOutputFlags(cmd, &opts, false)
	return cmd
}

func newConfigClearCommand() *cobra.Command {
	var opts outputOptions
	var all bool
	clear := map[string]*bool{}
	cmd := &cobra.Command{
		Use:     "clear",
		Short:   "Clear config values (the named ones, or --all)",
		Example: "  gotensor config clear --network\n  gotensor config clear --all",
		Args:    cobra.NoArgs,
	}
	for _, k := range configKeys {
		clear[k.key] = cmd.Flags().Bool(k.flag, false, "clear "+k.key)
	}
	cmd.Flags().BoolVar(&all, "all", false, "clear every key")
	cmd.RunE = runChainCmd(&opts, func(cmd *cobra.Command, _ []string) error {
		con, err := newConsole(cmd, &opts)
		if err != nil {
			return err
		}
		c, err := loadConfig()
		if err != nil {
			return err
		}
		n := 0
		for _, k := range configKeys {
			if all || *clear[k.key] {
				_ = c.set(k.key, "")
				n++
			}
		}
		if n == 0 {
			return usageErr(errors.New("nothing to clear: name the keys (e.g. --network) or pass --all"))
		}
		if err := saveConfig(c); err != nil {
			return err
		}
		con.Printf("Cleared %d key(s) in %s\n", n, configPath())
		return con.JSON(configDoc(c, true))
	})
	addOutputFlags(cmd, &opts, true)
	return cmd
}
