// Starts the built shoal binary on a free port for the Go SDK tests, like
// ../shoal_server.py: --port 0, the real port read from the start-up line on
// stderr ("shoal ... listening on HOST:PORT"), SIGTERM on stop and a clean
// exit expected; the server dies with the test process. The binary comes
// from $SHOAL_BINARY (CTest sets it), else build/shoal of this checkout.
package shoalgo

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

var listeningLine = regexp.MustCompile(`listening on (\S+):(\d+)`)

type shoalServer struct {
	cmd      *exec.Cmd
	Endpoint string
	mu       sync.Mutex
	stderr   strings.Builder
	exited   chan error
}

func binaryPath() string {
	if b := os.Getenv("SHOAL_BINARY"); b != "" {
		return b
	}
	abs, _ := filepath.Abs(filepath.Join("..", "..", "..", "build", "shoal"))
	return abs
}

func startServer(timeout time.Duration, extraArgs ...string) (*shoalServer, error) {
	cmd := exec.Command(binaryPath(), append(extraArgs, "--port", "0")...)
	// A test that panics exits without Stop: the kernel then ends the server.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SHOAL_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	pipe, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &shoalServer{cmd: cmd, exited: make(chan error, 1)}
	found := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(pipe)
		for scanner.Scan() {
			line := scanner.Text()
			s.mu.Lock()
			s.stderr.WriteString(line + "\n")
			s.mu.Unlock()
			if m := listeningLine.FindStringSubmatch(line); m != nil {
				host := m[1]
				if strings.Contains(host, ":") {
					host = "[" + host + "]"
				}
				select {
				case found <- "http://" + host + ":" + m[2]:
				default:
				}
			}
		}
		s.exited <- cmd.Wait()
	}()
	select {
	case s.Endpoint = <-found:
		return s, nil
	case err := <-s.exited:
		return nil, fmt.Errorf("shoal exited before listening (%v):\n%s", err, s.Stderr())
	case <-time.After(timeout):
		_ = cmd.Process.Kill()
		<-s.exited
		return nil, fmt.Errorf("shoal did not start in %v:\n%s", timeout, s.Stderr())
	}
}

func (s *shoalServer) Stderr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

// Stop sends SIGTERM and waits; an error when the server does not exit
// cleanly in time (it is then killed).
func (s *shoalServer) Stop(timeout time.Duration) error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.exited:
		if err != nil {
			return fmt.Errorf("shoal exited with %v:\n%s", err, s.Stderr())
		}
		return nil
	case <-time.After(timeout):
		_ = s.cmd.Process.Kill()
		<-s.exited
		return fmt.Errorf("shoal did not stop within %v of SIGTERM", timeout)
	}
}
