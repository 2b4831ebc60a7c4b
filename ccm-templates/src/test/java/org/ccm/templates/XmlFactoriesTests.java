package org.ccm.templates;

import java.util.List;
import java.util.ServiceLoader;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rendering a PDF names the XML factories it needs, so that JAXP does not scan the class
 * path for them on every document, and names the ones the scan would have found.
 */
class XmlFactoriesTests {

	@Test
	void aRenderedDocumentLeavesTheClassPathsXmlFactoriesNamed() {
		byte[] pdf = new PdfRenderer(List.of()).render("<html><body><p>Invoice</p></body></html>", false);

		assertThat(pdf).isNotEmpty();
		assertThat(System.getProperty("javax.xml.parsers.DocumentBuilderFactory"))
			.isEqualTo(scanned(DocumentBuilderFactory.class, DocumentBuilderFactory.newDefaultInstance()));
		assertThat(System.getProperty("javax.xml.transform.TransformerFactory"))
			.isEqualTo(scanned(TransformerFactory.class, TransformerFactory.newDefaultInstance()));
	}

	// what JAXP chooses when nothing is named: the first provider on the class path, else
	// the JDK's own
	private static <T> String scanned(Class<T> factory, T builtIn) {
		return ServiceLoader.load(factory)
			.findFirst()
			.map((found) -> found.getClass().getName())
			.orElse(builtIn.getClass().getName());
	}

}
