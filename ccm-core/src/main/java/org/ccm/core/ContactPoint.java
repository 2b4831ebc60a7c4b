package org.ccm.core;

/**
 * An email address or an E.164 phone number, with what is known about it.
 */
public record ContactPoint(String value, ContactState state) {

}
