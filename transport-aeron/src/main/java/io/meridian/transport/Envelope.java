package io.meridian.transport;

/** A decoded, authenticated inbound message with who sent it. */
public record Envelope(String senderRegion, String senderNode, String senderEndpoint, long senderEpoch,
                       Message message) { }
