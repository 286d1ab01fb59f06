export * from './dist/src/cdktf/sescheck-checks';
