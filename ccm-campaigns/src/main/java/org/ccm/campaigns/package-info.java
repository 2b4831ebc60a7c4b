/**
 * Campaigns: one template sent to a segment, frozen at launch, fanned out through Kafka
 * at a throttled rate and accepted through delivery's idempotent send, with a pilot
 * share, A/B variants and follow-up steps.
 */
@NullMarked
package org.ccm.campaigns;

import org.jspecify.annotations.NullMarked;
