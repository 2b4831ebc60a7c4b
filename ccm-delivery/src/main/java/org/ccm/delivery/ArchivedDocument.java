package org.ccm.delivery;

/**
 * A document exactly as it was sent: the email as RFC 822 message, SMS as text, print and
 * portal as PDF.
 */
public record ArchivedDocument(String contentType, String filename, byte[] content) {

}
