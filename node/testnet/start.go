package testnet

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Process is one running node.
type Process struct {
	Node Node
	Cmd  *exec.Cmd
	Log  string
	done chan struct{}
	err  error
}

// Done is closed when the process exits.
func (p *Process) Done() <-chan struct{} { return p.done }

// Err is the process's exit error once Done is closed.
func (p *Process) Err() error { return p.err }

// NodeArgs are the `gotensor` arguments that run node i of the manifest in dir.
func NodeArgs(m *Manifest, dir string, i int, extra ...string) []string {
	args := []string{"node", "--engine", "comet", "--home", m.NodeHome(dir, i), "--rpc-addr", m.Nodes[i].RPCAddr,
		"--metrics-addr", ""}
	return append(args, extra...)
}

// StartNode runs node i of the manifest as a child process of bin, appending its output to
// dir/<name>.log.
func StartNode(bin string, m *Manifest, dir string, i int, extra ...string) (*Process, error) {
	logPath := filepath.Join(dir, m.Nodes[i].Name+".log")
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, NodeArgs(m, dir, i, extra...)...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", m.Nodes[i].Name, err)
	}
	p := &Process{Node: m.Nodes[i], Cmd: cmd, Log: logPath, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	return p, nil
}

// Stop sends SIGTERM and waits up to grace for the process to exit, then kills it.
func (p *Process) Stop(grace time.Duration) {
	select {
	case <-p.done:
		return
	default:
	}
	p.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		p.Cmd.Process.Kill()
		<-p.done
	}
}

// Kill sends SIGKILL and waits for the exit.
func (p *Process) Kill() {
	p.Cmd.Process.Kill()
	<-p.done
}

// Head asks a node's RPC for its head (nil error when it answers).
func Head(ctx context.Context, rpcAddr string) (height uint64, stateHash string, err error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+rpcAddr,
		strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"chain_head"}`))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	var out struct {
		Result *struct {
			Height    uint64 `json:"height"`
			StateHash string `json:"state_hash"`
		} `json:"result"`
		Error *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return 0, "", err
	}
	if out.Result == nil {
		msg := "no result"
		if out.Error != nil {
			msg = out.Error.Message
		}
		return 0, "", fmt.Errorf("chain_head: %s", msg)
	}
	return out.Result.Height, out.Result.StateHash, nil
}

// Run starts every node of the manifest in dir with bin, reports on out when each answers RPC, and runs
// until ctx ends; then it stops them all (SIGTERM, then SIGKILL after 15 s). A node that exits early is
// reported and the others keep running; Run fails only when all have exited.
func Run(ctx context.Context, bin, dir string, out io.Writer) error {
	m, err := Load(dir)
	if err != nil {
		return err
	}
	procs := make([]*Process, 0, len(m.Nodes))
	defer func() {
		for _, p := range procs {
			p.Stop(15 * time.Second)
		}
	}()
	for i := range m.Nodes {
		p, err := StartNode(bin, m, dir, i)
		if err != nil {
			return err
		}
		procs = append(procs, p)
	}
	fmt.Fprintf(out, "testnet %s: %d nodes, logs in %s/<name>.log\n", m.ChainID, len(procs), dir)
	ready := make([]bool, len(procs))
	exited := make([]bool, len(procs))
	deadline := time.Now().Add(60 * time.Second)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			fmt.Fprintln(out, "stopping the testnet")
			return nil
		case <-tick.C:
		}
		alive := 0
		for i, p := range procs {
			select {
			case <-p.Done():
				if !exited[i] {
					exited[i] = true
					fmt.Fprintf(out, "%s exited: %v (see %s)\n", p.Node.Name, p.Err(), p.Log)
				}
				continue
			default:
				alive++
			}
			if !ready[i] {
				hctx, cancel := context.WithTimeout(ctx, time.Second)
				h, _, err := Head(hctx, p.Node.RPCAddr)
				cancel()
				if err == nil {
					ready[i] = true
					fmt.Fprintf(out, "%s: rpc http://%s (ws://%s), height %d\n", p.Node.Name, p.Node.RPCAddr, p.Node.RPCAddr, h)
				} else if time.Now().After(deadline) {
					fmt.Fprintf(out, "%s: no RPC answer after 60 s (see %s)\n", p.Node.Name, p.Log)
					ready[i] = true
				}
			}
		}
		if alive == 0 {
			return fmt.Errorf("every node of the testnet exited (logs in %s)", dir)
		}
	}
}
