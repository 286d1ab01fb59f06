import { buildApp, removeStaleStacks } from './app';
import { loadStacksConfig } from './config';
import { UserError } from '../src/errors';
import { StackPropsError } from './constructs/props';

// Synthesizes every configured stack into cdktf.out/stacks/<name>/cdk.tf.json (what `cdktf synth` runs).
try {
  const app = buildApp(loadStacksConfig());
  app.synth();
  removeStaleStacks(app);
} catch (error) {
  if (error instanceof StackPropsError || error instanceof UserError) {
    // A wrong stacks configuration, a wrong .sescheck.yaml, a stale policy bundle: one line.
    console.error(`sescheck stacks: ${error.message}`);
    process.exitCode = 2;
  } else if (error instanceof Error && error.message.startsWith('Encountered Annotations with level "ERROR"')) {
    // SescheckChecks found failing findings: cdktf lists them, one construct path and rule each.
    console.error(`sescheck stacks: a stack fails sescheck's checks:\n${error.message.replace(/^Encountered Annotations with level "ERROR":\n/, '')}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
