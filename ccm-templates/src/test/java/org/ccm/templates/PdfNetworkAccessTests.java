package org.ccm.templates;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageIO;

import com.openhtmltopdf.outputdevice.helper.ExternalResourceType;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Rendering a document opens no connection to a host that is not on the allowlist: a
 * local server socket stands in for an internal address a draft might point at.
 */
class PdfNetworkAccessTests {

	@Test
	void aDraftPointingAtAnInternalAddressOpensNoConnection() throws Exception {
		try (ServerSocket internal = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			int port = internal.getLocalPort();
			String html = """
					<html><head><link rel="stylesheet" href="http://127.0.0.1:%1$d/style.css"/>
					<style>@font-face { font-family: x; src: url(https://127.0.0.1:%1$d/x.ttf); }</style></head>
					<body><p>Invoice</p><img src="https://127.0.0.1:%1$d/x.png"/><img src="http://localhost:%1$d/y.png"/>
					<img src="file:///etc/passwd"/></body></html>
					"""
				.formatted(port);

			// a renderer that did connect would wait for an answer that never comes
			byte[] pdf = assertTimeoutPreemptively(Duration.ofSeconds(30),
					() -> new PdfRenderer(List.of()).render(html, false));

			assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
			internal.setSoTimeout(300);
			assertThatThrownBy(internal::accept).as("nothing connected to the internal address")
				.isInstanceOf(SocketTimeoutException.class);
		}
	}

	@Test
	void anAllowedHostIsFetched() throws Exception {
		try (ServerSocket allowed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			AtomicInteger requests = new AtomicInteger();
			Thread server = new Thread(() -> serveOnePng(allowed, requests));
			server.start();
			String html = "<html><body><p>Logo</p><img src=\"http://127.0.0.1:" + allowed.getLocalPort()
					+ "/logo.png\" width=\"20\" height=\"20\"/></body></html>";

			byte[] pdf = new PdfRenderer(List.of("127.0.0.1")).render(html, false);

			server.join(5_000);
			assertThat(requests).hasValue(1);
			try (PDDocument document = Loader.loadPDF(pdf)) {
				assertThat(document.getPage(0).getResources().getXObjectNames()).isNotEmpty();
			}
		}
	}

	@Test
	void onlyThePlatformsOwnFilesAndDataAddressesAreServedWithoutAnAllowlist() {
		PdfRenderer renderer = new PdfRenderer(List.of("images.example.com"));
		assertThat(renderer.mayLoad("classpath:/ccm-templates/fonts/DejaVuSans.ttf", ExternalResourceType.FONT))
			.isTrue();
		assertThat(renderer.mayLoad("data:image/png;base64,iVBORw0KGgo=", ExternalResourceType.IMAGE_RASTER)).isTrue();
		assertThat(renderer.mayLoad("https://IMAGES.example.com/a.png", ExternalResourceType.IMAGE_RASTER)).isTrue();
		assertThat(renderer.mayLoad("classpath:/ccm-templates/../application.yml", ExternalResourceType.CSS)).isFalse();
		assertThat(renderer.mayLoad("classpath:/application.yml", ExternalResourceType.CSS)).isFalse();
		assertThat(renderer.mayLoad("file:///etc/passwd", ExternalResourceType.IMAGE_RASTER)).isFalse();
		assertThat(renderer.mayLoad("jar:file:/app.jar!/x.png", ExternalResourceType.IMAGE_RASTER)).isFalse();
		assertThat(renderer.mayLoad("https://images.example.com.evil.test/a.png", ExternalResourceType.IMAGE_RASTER))
			.isFalse();
		assertThat(renderer.mayLoad("ftp://images.example.com/a.png", ExternalResourceType.IMAGE_RASTER)).isFalse();
	}

	private static void serveOnePng(ServerSocket server, AtomicInteger requests) {
		try (Socket socket = server.accept()) {
			requests.incrementAndGet();
			InputStream in = socket.getInputStream();
			// read the request head
			int matched = 0;
			while (matched < 4) {
				int b = in.read();
				if (b < 0) {
					break;
				}
				matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : 0;
			}
			ByteArrayOutputStream png = new ByteArrayOutputStream();
			ImageIO.write(new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_INT_RGB), "png",
					png);
			OutputStream out = socket.getOutputStream();
			out.write(("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: " + png.size()
					+ "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(png.toByteArray());
			out.flush();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
