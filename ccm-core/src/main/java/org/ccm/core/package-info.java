/**
 * The central customer and interaction database: customers, contact points, channel
 * preferences, consent, attributes, transactions, segments and the interaction timeline.
 */
@NullMarked
package org.ccm.core;

import org.jspecify.annotations.NullMarked;
