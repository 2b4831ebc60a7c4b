package org.ccm.delivery.email;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;

/**
 * Plain sockets with {@code TCP_NODELAY}. Angus Mail writes SMTP commands in small
 * packets, and Nagle's algorithm with delayed ACKs stalls each message by about 40 ms;
 * Angus has no property for it.
 */
class NoDelaySocketFactory extends SocketFactory {

	private static final NoDelaySocketFactory instance = new NoDelaySocketFactory();

	/** Named in {@code mail.smtp.socketFactory.class}, Angus asks for this. */
	public static SocketFactory getDefault() {
		return instance;
	}

	@Override
	public Socket createSocket() throws IOException {
		return noDelay(new Socket());
	}

	@Override
	public Socket createSocket(String host, int port) throws IOException {
		return noDelay(new Socket(host, port));
	}

	@Override
	public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
		return noDelay(new Socket(host, port, localHost, localPort));
	}

	@Override
	public Socket createSocket(InetAddress host, int port) throws IOException {
		return noDelay(new Socket(host, port));
	}

	@Override
	public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
			throws IOException {
		return noDelay(new Socket(address, port, localAddress, localPort));
	}

	private static Socket noDelay(Socket socket) throws IOException {
		socket.setTcpNoDelay(true);
		return socket;
	}

}
