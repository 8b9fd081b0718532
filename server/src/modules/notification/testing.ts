/** The notification module's test helpers, for other modules' tests (never imported by production code). */
export { startCaptureServer } from './channels/testing/capture-server.js';
export type { CaptureServer } from './channels/testing/capture-server.js';
export { testContext } from './channels/testing/factories.js';
export { startSmtpSink } from './channels/testing/smtp-sink.js';
export type { SmtpSink } from './channels/testing/smtp-sink.js';
