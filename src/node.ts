/**
 * tcpwire/node: the Node-only additions to the portable library (files and streams).
 * Everything in `tcpwire` is re-exported, so one import is enough in Node.
 */

export * from './index.js';
export { type CaptureSource, type OpenCaptureOptions, forEachSegmentIn, openCapture } from './node/open-capture.js';
