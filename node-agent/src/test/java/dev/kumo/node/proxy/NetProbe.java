package dev.kumo.node.proxy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A process started in a network namespace ({@code ip netns exec}) for {@link ServiceRoutingTest}: with a name and
 * ports it serves TCP and UDP on them, answering each connection or datagram with {@code <name> <client address>};
 * either way it reads probe commands on stdin and prints one result line each:
 * {@code tcp|udp <ip> <port>} gives {@code ok <answer>} or {@code error <what>} ({@code refused}, {@code timeout},
 * or the exception).
 */
public final class NetProbe {
    private static final int TIMEOUT_MILLIS = 2000;

    private NetProbe() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 3) {
            serve(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] command = line.strip().split(" ");
            out.println(command.length == 3 ? probe(command[0], command[1], Integer.parseInt(command[2]))
                    : "error bad command: " + line);
        }
    }

    private static void serve(String name, int tcpPort, int udpPort) throws IOException {
        ServerSocket tcp = new ServerSocket(tcpPort);
        DatagramSocket udp = new DatagramSocket(udpPort);
        Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try (Socket client = tcp.accept()) {
                    client.getOutputStream().write((name + " " + client.getInetAddress().getHostAddress() + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    System.err.println("tcp: " + e);
                }
            }
        });
        Thread.ofPlatform().daemon().start(() -> {
            byte[] buffer = new byte[512];
            while (true) {
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    udp.receive(packet);
                    byte[] answer = (name + " " + packet.getAddress().getHostAddress() + "\n")
                            .getBytes(StandardCharsets.UTF_8);
                    udp.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                } catch (IOException e) {
                    System.err.println("udp: " + e);
                }
            }
        });
    }

    private static String probe(String protocol, String ip, int port) {
        try {
            if (protocol.equals("tcp")) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(ip, port), TIMEOUT_MILLIS);
                    socket.setSoTimeout(TIMEOUT_MILLIS);
                    BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.UTF_8));
                    return "ok " + reader.readLine();
                }
            }
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.setSoTimeout(TIMEOUT_MILLIS);
                byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(ping, ping.length, InetAddress.getByName(ip), port));
                byte[] buffer = new byte[512];
                DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
                socket.receive(answer);
                return "ok " + new String(buffer, 0, answer.getLength(), StandardCharsets.UTF_8).strip();
            }
        } catch (ConnectException e) {
            return "error refused";
        } catch (SocketTimeoutException e) {
            return "error timeout";
        } catch (IOException e) {
            return "error " + e;
        }
    }
}
