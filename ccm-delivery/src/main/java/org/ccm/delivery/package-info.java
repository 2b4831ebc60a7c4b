/**
 * Accepting communications idempotently, routing them by preference, consent, quiet hours
 * and frequency caps, delivering them through Kafka-backed channel workers and archiving
 * what was sent.
 */
@NullMarked
package org.ccm.delivery;

import org.jspecify.annotations.NullMarked;
