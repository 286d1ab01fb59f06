'use strict';
// `require('sescheck/cdktf')`: the synth-time checks (needs cdktf and constructs in the app).
module.exports = require('./dist/src/cdktf/sescheck-checks');
