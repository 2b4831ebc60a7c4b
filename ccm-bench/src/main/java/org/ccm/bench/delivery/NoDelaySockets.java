package org.ccm.bench.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;

/** What any tuned SMTP client does: no Nagle delay on its small command packets. */
final class NoDelaySockets extends SocketFactory {

	@Override
	public Socket createSocket() throws IOException {
		Socket socket = new Socket();
		socket.setTcpNoDelay(true);
		return socket;
	}

	@Override
	public Socket createSocket(String host, int port) throws IOException {
		Socket socket = new Socket(host, port);
		socket.setTcpNoDelay(true);
		return socket;
	}

	@Override
	public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
		Socket socket = new Socket(host, port, localHost, localPort);
		socket.setTcpNoDelay(true);
		return socket;
	}

	@Override
	public Socket createSocket(InetAddress host, int port) throws IOException {
		Socket socket = new Socket(host, port);
		socket.setTcpNoDelay(true);
		return socket;
	}

	@Override
	public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
			throws IOException {
		Socket socket = new Socket(address, port, localAddress, localPort);
		socket.setTcpNoDelay(true);
		return socket;
	}

}
