package org.ccm.delivery;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

public record StatusChange(DeliveryStatus status, Instant at, @Nullable String reason) {

}
