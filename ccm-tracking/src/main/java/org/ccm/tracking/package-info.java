/**
 * Open and click tracking, delivery receipts, bounces, unsubscribes and responses,
 * written back to the customer.
 */
@NullMarked
package org.ccm.tracking;

import org.jspecify.annotations.NullMarked;
