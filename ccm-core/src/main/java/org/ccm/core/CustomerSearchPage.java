package org.ccm.core;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A page of customers in external-id order.
 *
 * @param next pass as {@link CustomerQuery#after()} for the next page; null on the last
 * page
 */
record CustomerSearchPage(List<CustomerSummary> customers, @Nullable String next) {

}
