import { buildApp, removeStaleStacks } from './app';
import { loadStacksConfig } from './config';
import { StackPropsError } from './constructs/props';

// Synthesizes every configured stack into cdktf.out/stacks/<name>/cdk.tf.json (what `cdktf synth` runs).
try {
  const app = buildApp(loadStacksConfig());
  app.synth();
  removeStaleStacks(app);
} catch (error) {
  if (!(error instanceof StackPropsError)) throw error;
  console.error(`sescheck stacks: ${error.message}`);
  process.exitCode = 2;
}
