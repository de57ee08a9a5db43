import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT_DIR } from '../../shared/platform/schema';

/** What a script run as a child process did. */
export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs `file` (relative to the repository) as `npm run` does, `node --import tsx`, with exactly
 * `env`; killed after `timeoutMs`, so a script that started working instead of answering fails
 * the test instead of hanging it.
 */
export function runScript(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, file), ...args], { cwd: ROOT_DIR, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}
