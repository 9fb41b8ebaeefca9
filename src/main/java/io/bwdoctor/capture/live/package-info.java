/**
 * Live packet capture through libpcap (Linux, macOS) or Npcap (Windows), bound with the Foreign Function & Memory
 * API: {@link io.bwdoctor.capture.live.LiveCapture} (one per interface, frames to a
 * {@link io.bwdoctor.core.packet.FrameSink} on its own capture thread) and {@link io.bwdoctor.capture.live.Interfaces}
 * (devices and their addresses). A missing library or privilege is a
 * {@link io.bwdoctor.capture.live.CaptureUnavailableException} whose message says what to do.
 */
package io.bwdoctor.capture.live;
