#!/usr/bin/env node
require('../dist/center.cjs');
