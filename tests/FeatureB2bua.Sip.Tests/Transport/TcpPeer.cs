using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Sip.Tests.Transport;

/// <summary>A loopback TCP client, plain or TLS, standing in for a remote SIP element.</summary>
internal sealed class TcpPeer : IDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(5);
    private readonly Socket _socket;
    private Stream _stream;

    private TcpPeer(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>The TLS version agreed with the server; none on a plain connection.</summary>
    public SslProtocols NegotiatedProtocol => (_stream as SslStream)?.SslProtocol ?? SslProtocols.None;

    public static async Task<TcpPeer> ConnectTlsAsync(IPEndPoint remote, TestCertificate server, SslProtocols protocols)
    {
        var peer = await ConnectAsync(remote);
        var ssl = new SslStream(peer._stream, leaveInnerStreamOpen: false, (_, presented, _, _) => server.IsPresentedBy(presented));
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1", EnabledSslProtocols = protocols }).WaitAsync(WaitLimit);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }

        peer._stream = ssl;
        return peer;
    }

    public static async Task<TcpPeer> ConnectAsync(IPEndPoint remote)
    {
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(remote).WaitAsync(WaitLimit);
            return new TcpPeer(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task WriteAsync(byte[] data)
    {
        await _stream.WriteAsync(data);
        await _stream.FlushAsync();
    }

    public async Task<byte[]> ReadExactlyAsync(int count)
    {
        var data = new byte[count];
        await _stream.ReadExactlyAsync(data).AsTask().WaitAsync(WaitLimit);
        return data;
    }

    /// <summary>Waits for the other side to close: end of stream, or a reset when unread bytes were discarded.</summary>
    public async Task ExpectClosedAsync()
    {
        var scratch = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(scratch).AsTask().WaitAsync(WaitLimit) > 0)
            {
            }
        }
        catch (IOException)
        {
        }
    }

    public void Dispose() => _stream.Dispose();
}
