package org.ccm.core;

import java.util.UUID;

/**
 * Published when a customer's personal data was erased, so every module can remove what
 * it holds about them.
 */
public record CustomerErased(UUID customerId) {

}
