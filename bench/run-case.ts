import { fork } from 'child_process';

/** Runs `file --case name` in its own process (its own peak RSS), stopped after timeoutMs. */
export function runCaseInChild(file: string, name: string, timeoutMs: number, execArgv: string[] = process.execArgv): Promise<void> {
  return new Promise<void>((resolve) => {
    const child = fork(file, ['--case', name], { stdio: 'inherit', execArgv });
    const timer = setTimeout(() => {
      console.log(`case ${name}: did not finish within ${timeoutMs / 1000} s, stopped`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
