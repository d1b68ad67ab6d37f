// Mocha's spec reporter, plus one closing line CI can read: "<label>: N passed, N failed, N skipped".
'use strict';
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const label = (options && options.reporterOptions && options.reporterOptions.label) || 'unit';
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats || {};
      // Printed after the spec reporter's own epilogue.
      setImmediate(() =>
        Mocha.reporters.Base.consoleLog(
          `${label}: ${s.passes || 0} passed, ${s.failures || 0} failed, ${s.pending || 0} skipped`,
        ),
      );
    });
  }
}

module.exports = SummaryReporter;
