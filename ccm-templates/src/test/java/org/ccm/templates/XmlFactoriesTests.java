package org.ccm.templates;

import java.util.List;
import java.util.ServiceLoader;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rendering a PDF names the XML factories it needs, so that JAXP does not scan the class
 * path for them on every document, and names the ones the scan would have found, when
 * they are the JDK's own. A factory a jar provides is left to JAXP's look-up: this test's
 * class path has one, veraPDF's Saxon transformer.
 */
class XmlFactoriesTests {

	@Test
	void aRenderedDocumentLeavesTheJdksXmlFactoriesNamedAndOthersToTheLookUp() throws Exception {
		String parsers = scanned(DocumentBuilderFactory.class, DocumentBuilderFactory.newDefaultInstance());
		String transformers = scanned(TransformerFactory.class, TransformerFactory.newDefaultInstance());
		assertThat(jdks(parsers)).as("the class path's parser factory is the JDK's").isTrue();
		assertThat(jdks(transformers)).as("the class path's transformer factory comes from a jar").isFalse();

		byte[] pdf = new PdfRenderer(List.of()).render("<html><body><p>Invoice</p></body></html>", false);

		assertThat(pdf).isNotEmpty();
		assertThat(System.getProperty("javax.xml.parsers.DocumentBuilderFactory")).isEqualTo(parsers);
		assertThat(System.getProperty("javax.xml.transform.TransformerFactory")).isNull();
	}

	// what JAXP chooses when nothing is named: the first provider on the class path, else
	// the JDK's own
	private static <T> String scanned(Class<T> factory, T builtIn) {
		return ServiceLoader.load(factory)
			.findFirst()
			.map((found) -> found.getClass().getName())
			.orElse(builtIn.getClass().getName());
	}

	private static boolean jdks(String factory) throws ClassNotFoundException {
		return Class.forName(factory).getClassLoader() == null;
	}

}
