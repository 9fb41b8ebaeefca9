/**
 * Windows adapters: IP Helper connection tables and TCP extended statistics, process details, Authenticode and
 * version facts, the QoS-policy protection of management traffic. The native parts are thin FFM bindings that only
 * load on Windows; everything that decodes or decides is pure and tested on Linux against recorded buffers and
 * against the documented structure layouts. Nothing here has been run on a real Windows machine yet.
 */
package io.bwdoctor.platform.windows;
