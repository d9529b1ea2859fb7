// Starts the built shoal binary on a free port for the JS SDK tests, like
// ../shoal_server.py: --port 0, the real port read from the start-up line on
// stderr ("shoal ... listening on HOST:PORT"), SIGTERM on stop. The binary
// comes from $SHOAL_BINARY (CTest sets it), else build/shoal of this checkout.
'use strict';

const { spawn, spawnSync } = require('node:child_process');

const DEFAULT_BINARY = require('node:path').join(__dirname, '..', '..', '..', 'build', 'shoal');
const DELAY_FLAGS = [
  '--kinesis-create-delay-ms', '--kinesis-delete-delay-ms', '--kinesis-update-delay-ms', '--kinesis-consumer-delay-ms',
];

function binaryPath() {
  return process.env.SHOAL_BINARY || DEFAULT_BINARY;
}

// The delay flags set to 0, for those the binary knows (status changes become immediate).
function fastFlags(binary) {
  const help = spawnSync(binary, ['--help'], { encoding: 'utf8', timeout: 10000 });
  const text = `${help.stdout || ''}${help.stderr || ''}`;
  return DELAY_FLAGS.filter((f) => text.includes(f)).flatMap((f) => [f, '0']);
}

async function startServer(extraArgs = [], timeoutMs = 10000) {
  const binary = binaryPath();
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SHOAL_')));
  const args = [...fastFlags(binary), ...extraArgs, '--port', '0'];
  const proc = spawn(binary, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`shoal did not start in ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
      const m = /listening on (\S+):(\d+).*\n/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        const host = m[1].includes(':') ? `[${m[1]}]` : m[1];
        resolve(`http://${host}:${m[2]}`);
      }
    });
    proc.on('error', (err) => { clearTimeout(timer); reject(err); });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`shoal exited with ${code}:\n${stderr}`)); });
  });
  proc.removeAllListeners('exit');
  // With --tls-port: "tls on HOST:PORT (h2, http/1.1; certificate PATH)".
  const tls = /tls on (\S+):(\d+) \([^;]*; certificate ([^)]+)\)/.exec(stderr);
  return {
    endpoint,
    // https://localhost:PORT (the generated certificate names localhost), or null.
    tlsEndpoint: tls ? `https://localhost:${tls[2]}` : null,
    certPath: tls ? tls[3] : null,
    pid: proc.pid,
    stderr: () => stderr,
    // SIGTERM, wait; resolves to the exit code (kills after timeoutMs).
    stop(stopTimeoutMs = 10000) {
      if (proc.exitCode !== null) return Promise.resolve(proc.exitCode);
      return new Promise((resolve) => {
        const timer = setTimeout(() => proc.kill('SIGKILL'), stopTimeoutMs);
        proc.once('exit', (code, signal) => { clearTimeout(timer); resolve(code === null ? signal : code); });
        proc.kill('SIGTERM');
      });
    },
  };
}

module.exports = { startServer, binaryPath };
