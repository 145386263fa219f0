// Helpers for `mallinfo attach` tests: real target processes (fixtures/attach),
// a client loop that must see no failed request, and what a target reports
// about itself (/state).
import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';
import { root } from './helpers';

export interface Target {
  child: ChildProcess;
  pid: number;
  port: number;
  /** What the target wrote on stderr so far (the inspector's own messages land there). */
  stderr(): string;
  stop(): void;
}

export interface TargetState {
  resources: string[];
  listeners: Record<string, number>;
  mallinfoModules: string[];
  heapUsed: number;
}

export function attachFixture(name: string): string {
  return join(root, 'test', 'fixtures', 'attach', name);
}

/**
 * Starts `node [nodeArgs] fixtures/attach/<script>` and waits for its
 * `{pid, port}` line. `--inspect-port=0` by default, so that SIGUSR1 opens
 * the inspector on a free port and tests never collide on 9229.
 */
export function startTarget(
  script: string,
  mode: string,
  options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv; npmScriptIn?: string } = {},
): Promise<Target> {
  const env = { ...process.env, MODE: mode, NODE_OPTIONS: '', ...options.env };
  // With `npmScriptIn`, started as `npm run start` in that project (its package.json runs the script):
  // the target is then npm's grandchild, behind a shell.
  const child =
    options.npmScriptIn !== undefined
      ? spawn('npm', ['run', '--silent', 'start'], { cwd: options.npmScriptIn, env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, [...(options.nodeArgs ?? ['--inspect-port=0']), script.startsWith('/') ? script : attachFixture(script)], {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`target ${script} did not start: ${err}`));
    }, 20_000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line === undefined || !out.includes('\n')) return;
      clearTimeout(timer);
      const { pid, port } = JSON.parse(line) as { pid: number; port: number };
      const stop = (): void => {
        // A cluster worker is the target, not the child: kill both.
        for (const p of new Set([pid, child.pid!])) {
          try {
            process.kill(p, 'SIGKILL');
          } catch {
            // Gone already.
          }
        }
      };
      resolve({ child, pid, port, stderr: () => err, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`target ${script} exited with ${code}: ${err}`));
    });
  });
}

/** GET http://127.0.0.1:port/path, as text. */
export function httpGet(port: number, path: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port, path, timeout: timeoutMs, agent: false }, (response) => {
      let body = '';
      response.on('data', (b: Buffer) => (body += b.toString()));
      response.on('end', () => (response.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${response.statusCode}`))));
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
  });
}

export async function targetState(target: Target): Promise<TargetState> {
  return JSON.parse(await httpGet(target.port, '/state')) as TargetState;
}

/** Requests /ping back to back (each waits for the previous) until stopped; counts answers and failures. */
export function clientLoop(port: number): { stop(): Promise<{ ok: number; failed: string[] }> } {
  let running = true;
  let ok = 0;
  const failed: string[] = [];
  const loop = (async () => {
    while (running) {
      await httpGet(port, '/ping', 2000).then(
        () => ok++,
        (error: Error) => failed.push(error.message),
      );
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { ok, failed };
    },
  };
}

/** Waits until `check()` is true or `timeoutMs` passed; returns the last value. */
export async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}
