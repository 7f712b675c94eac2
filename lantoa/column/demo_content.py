"""Texts of the column's demo, written for xã Nam Cường (fictional demo content, in Vietnamese).

Each subject gives one item of every kind: an article, an infographic, a short video, a podcast
episode and a handbook or slide deck. Figures are the plan's own targets (seed plan, section II) or
clearly local, illustrative ones.
"""

from __future__ import annotations

SUBJECTS = [
    {
        "title": "Nghị quyết 57-NQ/TW: năm điều mỗi cán bộ xã cần nắm",
        "short": "Nghị quyết 57 trong năm điều",
        "doc": "Sổ tay Nghị quyết 57-NQ/TW dành cho cán bộ, công chức xã",
        "topics": ["nghi-quyet-57", "khoa-hoc-cong-nghe"],
        "audiences": ["can-bo"],
        "summary": "Nghị quyết 57-NQ/TW của Bộ Chính trị coi khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số "
        "là đột phá quan trọng hàng đầu. Dưới đây là những điều cốt lõi cán bộ xã cần nắm để tuyên truyền.",
        "paras": [
            "Ngày 22/12/2024, Bộ Chính trị ban hành Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ, "
            "đổi mới sáng tạo và chuyển đổi số quốc gia. Nghị quyết xác định đây là đột phá quan trọng hàng đầu, là "
            "động lực chính để phát triển nhanh lực lượng sản xuất hiện đại.",
            "Với cấp xã, nhiệm vụ trước hết là tuyên truyền để cán bộ và Nhân dân hiểu đúng, làm theo: sử dụng dịch vụ "
            "công trực tuyến, thanh toán số, học kỹ năng số và bảo vệ mình trên không gian mạng.",
            "Kế hoạch của UBND xã Nam Cường đặt mục tiêu năm 2026: 100% cán bộ, công chức, viên chức thường xuyên được "
            "tuyên truyền về Nghị quyết và ít nhất 10% người dân tiếp cận thông tin qua hệ thống thông tin cơ sở.",
        ],
        "facts": [
            ("100%", "cán bộ, công chức được tuyên truyền năm 2026"),
            ("10%", "người dân tiếp cận năm 2026"),
            ("70%", "người dân tiếp cận đến năm 2030"),
        ],
        "quote": (
            "Khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là đột phá quan trọng hàng đầu.",
            "Nghị quyết 57-NQ/TW",
        ),
        "steps": [
            "Đọc kỹ quan điểm chỉ đạo của Nghị quyết",
            "Gắn với nhiệm vụ của đơn vị mình",
            "Tuyên truyền trong sinh hoạt chi bộ, họp thôn",
            "Báo cáo kết quả định kỳ 6 tháng",
        ],
    },
    {
        "title": "Bình dân học vụ số: học kỹ năng số không bao giờ là muộn",
        "short": "Bình dân học vụ số",
        "doc": "Sổ tay Bình dân học vụ số cho người dân",
        "topics": ["binh-dan-hoc-vu-so", "chuyen-doi-so"],
        "audiences": ["nguoi-cao-tuoi", "nong-dan"],
        "summary": "Phong trào “Bình dân học vụ số” giúp mọi người dân, kể cả người cao tuổi, biết dùng điện thoại "
        "thông minh để làm thủ tục, thanh toán và tra cứu thông tin.",
        "paras": [
            "Giống như phong trào Bình dân học vụ năm xưa xóa nạn mù chữ, “Bình dân học vụ số” hôm nay hướng tới xóa "
            "“mù số”: ai cũng biết những kỹ năng số cơ bản để không bị bỏ lại phía sau.",
            "Tại Nam Cường, Tổ công nghệ số cộng đồng ở từng thôn mở lớp buổi tối tại nhà văn hóa, hướng dẫn cài đặt "
            "ứng dụng, tạo tài khoản và thực hành ngay trên điện thoại của bà con.",
            "Người học được cầm tay chỉ việc, học theo nhóm nhỏ, có tài liệu in chữ to và video ngắn để xem lại.",
        ],
        "facts": [
            ("12", "thôn có lớp học kỹ năng số"),
            ("3", "buổi học cho một kỹ năng cơ bản"),
            ("0 đồng", "học phí"),
        ],
        "quote": ("Tôi 68 tuổi, giờ đã tự đóng tiền điện trên điện thoại.", "Bác Hoàng Văn Bình, thôn Nà Pài"),
        "steps": [
            "Đăng ký lớp với Tổ công nghệ số cộng đồng",
            "Mang theo điện thoại và căn cước",
            "Thực hành cùng hướng dẫn viên",
            "Hỏi lại bất cứ khi nào chưa rõ",
        ],
    },
    {
        "title": "Làm thủ tục hành chính trực tuyến: không phải đi lại, không phải chờ",
        "short": "Dịch vụ công trực tuyến",
        "doc": "Hướng dẫn nộp hồ sơ trên Cổng Dịch vụ công quốc gia",
        "topics": ["dich-vu-cong-truc-tuyen", "chuyen-doi-so"],
        "audiences": ["can-bo", "doanh-nghiep", "nong-dan"],
        "summary": "Nhiều thủ tục như đăng ký khai sinh, chứng thực, cấp phiếu lý lịch tư pháp có thể nộp trên Cổng "
        "Dịch vụ công quốc gia. Trung tâm Phục vụ hành chính công xã hướng dẫn từng bước.",
        "paras": [
            "Với tài khoản định danh điện tử, người dân đăng nhập Cổng Dịch vụ công quốc gia, chọn thủ tục, khai thông "
            "tin và đính kèm giấy tờ bằng ảnh chụp.",
            "Hồ sơ được Trung tâm Phục vụ hành chính công xã tiếp nhận, xử lý và trả kết quả qua mạng hoặc tại trụ sở. "
            "Người dân theo dõi tiến độ ngay trên điện thoại.",
            "Nếu chưa quen, bà con đến Trung tâm để được cán bộ hướng dẫn làm lần đầu trên chính điện thoại của mình.",
        ],
        "facts": [
            ("24/7", "nộp hồ sơ mọi lúc"),
            ("1 lần", "đến Trung tâm để được hướng dẫn"),
            ("0", "giấy tờ phải photo khi đã có dữ liệu"),
        ],
        "quote": ("Hồ sơ nộp tối hôm trước, sáng hôm sau đã có người gọi hẹn trả kết quả.", "Chị Triệu Thu Hiền"),
        "steps": [
            "Đăng nhập bằng tài khoản định danh điện tử",
            "Chọn thủ tục cần làm",
            "Khai thông tin, chụp ảnh giấy tờ",
            "Theo dõi và nhận kết quả",
        ],
    },
    {
        "title": "Tài khoản định danh điện tử mức 2: chìa khóa của công dân số",
        "short": "Định danh điện tử mức 2",
        "doc": "Sổ tay kích hoạt và sử dụng tài khoản định danh điện tử",
        "topics": ["chuyen-doi-so", "dich-vu-cong-truc-tuyen"],
        "audiences": ["nguoi-cao-tuoi", "thanh-nien"],
        "summary": "Tài khoản định danh điện tử mức 2 thay nhiều loại giấy tờ, dùng để đăng nhập dịch vụ công và "
        "xuất trình khi cần. Cách kích hoạt và giữ an toàn tài khoản.",
        "paras": [
            "Tài khoản định danh điện tử mức 2 do cơ quan công an cấp, gắn với căn cước của mỗi người. Sau khi kích "
            "hoạt, người dân có thể tích hợp thẻ bảo hiểm y tế, giấy phép lái xe và dùng để đăng nhập dịch vụ công.",
            "Tuyệt đối không cho người khác mượn điện thoại để đăng nhập, không đọc mã xác thực cho bất kỳ ai, kể cả "
            "người tự xưng là cán bộ.",
            "Khi đổi điện thoại hoặc quên mật khẩu, hãy đến công an xã để được hỗ trợ.",
        ],
        "facts": [
            ("2", "mức định danh điện tử"),
            ("6", "số của mã bảo vệ — không chia sẻ"),
            ("1", "tài khoản cho nhiều dịch vụ"),
        ],
        "quote": ("Mã xác thực là của riêng bạn, như chìa khóa nhà.", "Công an xã Nam Cường"),
        "steps": [
            "Cài ứng dụng định danh điện tử chính thức",
            "Đăng ký và kích hoạt tại công an xã",
            "Đặt mật khẩu và mã bảo vệ riêng",
            "Tích hợp giấy tờ cần dùng",
        ],
    },
    {
        "title": "Chợ phiên Nam Cường quét mã thanh toán: tiện cho người mua, lợi cho người bán",
        "short": "Thanh toán không dùng tiền mặt",
        "doc": "Slide: Thanh toán không dùng tiền mặt cho hộ kinh doanh",
        "topics": ["kinh-te-so"],
        "audiences": ["doanh-nghiep", "phu-nu"],
        "summary": "Các sạp hàng ở chợ phiên đã dán mã QR thanh toán. Người bán không lo tiền lẻ, tiền giả; người mua "
        "không cần mang nhiều tiền mặt.",
        "paras": [
            "Từ đầu năm, Hội Liên hiệp Phụ nữ xã cùng các ngân hàng hướng dẫn tiểu thương mở tài khoản và in mã QR "
            "cho từng sạp hàng.",
            "Mỗi giao dịch được ghi lại, giúp hộ kinh doanh theo dõi thu chi và tiếp cận vốn vay dễ hơn.",
            "Người bán nên bật thông báo biến động số dư bằng giọng nói để biết ngay khi tiền về, tránh bị lừa bằng "
            "ảnh chụp màn hình chuyển khoản giả.",
        ],
        "facts": [("QR", "một mã cho mọi ngân hàng"), ("0 đồng", "phí nhận tiền"), ("1 giây", "để biết tiền đã về")],
        "quote": ("Có loa báo tiền về, tôi bán hàng yên tâm hơn hẳn.", "Cô Nông Thị Mai, chợ phiên Nam Cường"),
        "steps": [
            "Mở tài khoản thanh toán",
            "In mã QR và dán tại sạp",
            "Bật loa báo số dư",
            "Kiểm tra tiền về trước khi giao hàng",
        ],
    },
    {
        "title": "Đưa chè Nam Cường lên sàn thương mại điện tử",
        "short": "Nông sản lên sàn",
        "doc": "Sổ tay bán nông sản trên sàn thương mại điện tử",
        "topics": ["kinh-te-so", "doi-moi-sang-tao"],
        "audiences": ["nong-dan", "doanh-nghiep"],
        "summary": "Hợp tác xã chè của xã mở gian hàng trực tuyến, gắn mã truy xuất nguồn gốc cho từng gói chè. "
        "Khách ở xa đặt mua, người trồng chè bán được giá hơn.",
        "paras": [
            "Chè là cây trồng chủ lực của nhiều hộ ở Nam Cường. Trước đây chè chủ yếu bán cho thương lái; nay hợp tác "
            "xã đã mở gian hàng trên sàn thương mại điện tử.",
            "Mỗi gói chè có tem truy xuất nguồn gốc: quét mã là biết chè được trồng ở đồi nào, hái ngày nào, sao bởi "
            "ai. Khách hàng tin tưởng hơn, đặt hàng lặp lại nhiều hơn.",
            "Đoàn thanh niên xã hỗ trợ chụp ảnh sản phẩm, quay video giới thiệu và trả lời tin nhắn khách hàng.",
        ],
        "facts": [
            ("1", "gian hàng trực tuyến của hợp tác xã"),
            ("100%", "gói chè có mã truy xuất"),
            ("24 giờ", "để xác nhận đơn hàng"),
        ],
        "quote": ("Bán trên mạng, khách hỏi gì mình trả lời ngay, như có thêm một cửa hàng.", "Anh Lục Văn Quân"),
        "steps": [
            "Chuẩn hóa sản phẩm và bao bì",
            "Gắn mã truy xuất nguồn gốc",
            "Chụp ảnh, viết mô tả trung thực",
            "Đóng gói, giao hàng đúng hẹn",
        ],
    },
    {
        "title": "Nhận diện lừa đảo qua mạng: năm dấu hiệu cần dừng lại ngay",
        "short": "Cảnh giác lừa đảo qua mạng",
        "doc": "Slide: Phòng, chống lừa đảo trên không gian mạng",
        "topics": ["chuyen-doi-so"],
        "audiences": ["nguoi-cao-tuoi", "thanh-nien", "phu-nu"],
        "summary": "Giả danh công an, ngân hàng, người thân gặp nạn… kẻ gian có nhiều chiêu. Năm dấu hiệu giúp bà con "
        "nhận ra và dừng lại trước khi mất tiền.",
        "paras": [
            "Dấu hiệu thứ nhất: bị hối thúc phải làm ngay. Dấu hiệu thứ hai: được yêu cầu cung cấp mã xác thực hoặc "
            "mật khẩu. Dấu hiệu thứ ba: được gửi đường link lạ để “cập nhật thông tin”.",
            "Dấu hiệu thứ tư: được hứa lợi nhuận cao, việc nhẹ lương cao. Dấu hiệu thứ năm: người gọi yêu cầu giữ bí "
            "mật, không được nói với ai.",
            "Khi nghi ngờ, hãy dừng lại, gọi cho người thân hoặc công an xã để hỏi. Cơ quan nhà nước không bao giờ "
            "làm việc qua điện thoại để yêu cầu chuyển tiền.",
        ],
        "facts": [
            ("5", "dấu hiệu lừa đảo"),
            ("0", "lần cơ quan nhà nước đòi chuyển tiền qua điện thoại"),
            ("113", "gọi công an khi khẩn cấp"),
        ],
        "quote": (
            "Dừng lại — kiểm tra — hỏi người tin cậy. Ba bước ấy giữ được tiền của cả nhà.",
            "Đoàn thanh niên xã Nam Cường",
        ),
        "steps": [
            "Không làm theo yêu cầu gấp",
            "Không đọc mã xác thực",
            "Không bấm đường link lạ",
            "Gọi hỏi người tin cậy",
        ],
    },
    {
        "title": "Tổ công nghệ số cộng đồng: người đồng hành ở từng thôn",
        "short": "Tổ công nghệ số cộng đồng",
        "doc": "Sổ tay hoạt động của Tổ công nghệ số cộng đồng",
        "topics": ["chuyen-doi-so", "binh-dan-hoc-vu-so"],
        "audiences": ["nong-dan", "thanh-nien"],
        "summary": "Mỗi thôn của Nam Cường có một Tổ công nghệ số cộng đồng, đến từng hộ hướng dẫn dùng dịch vụ số "
        "và ghi nhận những khó khăn của bà con.",
        "paras": [
            "Thành viên tổ là trưởng thôn, đoàn viên thanh niên, hội viên phụ nữ — những người gần dân nhất. Họ đến "
            "từng nhà, hướng dẫn cài đặt, tạo tài khoản và thực hành.",
            "Mỗi lượt hướng dẫn được ghi lại để xã biết đã có bao nhiêu hộ được tiếp cận thông tin và còn thôn nào "
            "cần hỗ trợ thêm.",
            "Tổ cũng phối hợp với đài truyền thanh xã phát các bản tin ngắn về kỹ năng số vào buổi sáng và chiều.",
        ],
        "facts": [
            ("12", "tổ công nghệ số, mỗi thôn một tổ"),
            ("30%", "người dân tiếp cận — mục tiêu năm 2027"),
            ("2", "bản tin truyền thanh mỗi ngày"),
        ],
        "quote": ("Đi từng ngõ, gõ từng nhà, hướng dẫn đến khi bà con tự làm được.", "Tổ công nghệ số thôn Nà Lẹng"),
        "steps": [
            "Lập danh sách hộ cần hỗ trợ",
            "Hẹn lịch đến từng hộ",
            "Hướng dẫn và cùng thực hành",
            "Ghi nhận lượt tiếp cận",
        ],
    },
    {
        "title": "Học sinh dùng trí tuệ nhân tạo: hỗ trợ học tập, không thay người học",
        "short": "Học sinh và trí tuệ nhân tạo",
        "doc": "Slide: Trí tuệ nhân tạo trong học tập — dùng đúng cách",
        "topics": ["khoa-hoc-cong-nghe", "doi-moi-sang-tao"],
        "audiences": ["hoc-sinh", "thanh-nien"],
        "summary": "Trường Trung học cơ sở Nam Cường tổ chức chuyên đề về trí tuệ nhân tạo: dùng để hỏi bài, luyện "
        "tiếng Anh, nhưng phải tự suy nghĩ và kiểm chứng thông tin.",
        "paras": [
            "Trí tuệ nhân tạo có thể giải thích một khái niệm khó theo nhiều cách, gợi ý dàn ý, chấm thử bài luyện "
            "viết. Đó là một người trợ giảng kiên nhẫn.",
            "Nhưng trí tuệ nhân tạo cũng có thể trả lời sai một cách rất tự tin. Học sinh cần đối chiếu với sách giáo "
            "khoa, hỏi thầy cô và ghi rõ khi có dùng công cụ hỗ trợ.",
            "Không đưa thông tin cá nhân, hình ảnh của mình và bạn bè vào các công cụ trực tuyến.",
        ],
        "facts": [
            ("3", "nguyên tắc: tự nghĩ, kiểm chứng, ghi nguồn"),
            ("18/5", "Ngày Khoa học và Công nghệ Việt Nam"),
            ("0", "thông tin cá nhân đưa lên công cụ"),
        ],
        "quote": ("Em dùng công cụ để hỏi lại chỗ chưa hiểu, còn bài làm vẫn là của em.", "Một học sinh lớp 9"),
        "steps": [
            "Tự làm trước, hỏi sau",
            "Kiểm chứng câu trả lời",
            "Ghi rõ có dùng công cụ",
            "Giữ kín thông tin cá nhân",
        ],
    },
    {
        "title": "Ứng dụng khoa học kỹ thuật trong trồng chè an toàn",
        "short": "Khoa học kỹ thuật cho cây chè",
        "doc": "Sổ tay kỹ thuật trồng chè an toàn có ghi chép điện tử",
        "topics": ["khoa-hoc-cong-nghe", "kinh-te-so"],
        "audiences": ["nong-dan"],
        "summary": "Tưới nhỏ giọt, bón phân theo nhu cầu của cây và ghi nhật ký sản xuất trên điện thoại giúp nâng "
        "chất lượng chè, giảm chi phí.",
        "paras": [
            "Nhiều hộ trồng chè ở Nam Cường đã lắp hệ thống tưới nhỏ giọt, tiết kiệm nước và công lao động trong mùa "
            "khô.",
            "Nhật ký sản xuất điện tử ghi lại ngày bón phân, phun thuốc, thu hái. Đây là cơ sở để cấp mã vùng trồng "
            "và chứng nhận chè an toàn.",
            "Cán bộ khuyến nông xã hướng dẫn tận vườn và qua nhóm Zalo của từng thôn.",
        ],
        "facts": [
            ("30%", "nước tưới tiết kiệm được (mô hình thử nghiệm)"),
            ("1", "nhật ký điện tử cho mỗi hộ"),
            ("4", "bước ghi chép mỗi vụ"),
        ],
        "quote": ("Ghi chép đều đặn thì khi bán chè, mình chứng minh được chè sạch.", "Anh Ma Đức Long"),
        "steps": [
            "Ghi ngày bón phân, phun thuốc",
            "Tuân thủ thời gian cách ly",
            "Ghi ngày thu hái",
            "Lưu ảnh vườn chè mỗi vụ",
        ],
    },
    {
        "title": "Chữ ký số và hóa đơn điện tử cho hộ kinh doanh",
        "short": "Chữ ký số cho hộ kinh doanh",
        "doc": "Slide: Chữ ký số và hóa đơn điện tử — bắt đầu từ đâu",
        "topics": ["kinh-te-so", "doi-moi-sang-tao"],
        "audiences": ["doanh-nghiep"],
        "summary": "Chữ ký số giúp hộ kinh doanh ký hợp đồng, khai thuế, xuất hóa đơn điện tử ngay trên điện thoại, "
        "không phải in ấn, đi lại.",
        "paras": [
            "Chữ ký số có giá trị pháp lý như chữ ký tay và con dấu. Với chữ ký số trên điện thoại, hộ kinh doanh có "
            "thể ký văn bản ở bất cứ đâu.",
            "Hóa đơn điện tử giúp quản lý doanh thu minh bạch, khách hàng nhận hóa đơn ngay qua tin nhắn hoặc thư "
            "điện tử.",
            "Phòng Kinh tế xã tổ chức buổi hướng dẫn cho các hộ kinh doanh vào chiều thứ Sáu hằng tuần.",
        ],
        "facts": [
            ("1", "chữ ký số cho mọi giấy tờ điện tử"),
            ("0", "tờ hóa đơn giấy phải lưu"),
            ("Thứ Sáu", "buổi hướng dẫn hằng tuần"),
        ],
        "quote": ("Ký hợp đồng với khách ở tỉnh khác mà không phải gửi bưu điện.", "Chủ một xưởng mộc"),
        "steps": [
            "Chọn nhà cung cấp chữ ký số",
            "Đăng ký và xác thực",
            "Kết nối phần mềm hóa đơn",
            "Xuất hóa đơn cho khách",
        ],
    },
    {
        "title": "Hưởng ứng Ngày Chuyển đổi số quốc gia 10/10 tại Nam Cường",
        "short": "Ngày Chuyển đổi số quốc gia",
        "doc": "Slide: Chương trình hưởng ứng Ngày Chuyển đổi số quốc gia 10/10",
        "topics": ["doi-moi-sang-tao", "chuyen-doi-so", "nghi-quyet-57"],
        "audiences": ["thanh-nien", "can-bo", "hoc-sinh"],
        "summary": "Ngày hội chuyển đổi số của xã có gian trải nghiệm dịch vụ công, thanh toán số, sản phẩm "
        "nông nghiệp thông minh và cuộc thi tìm hiểu Nghị quyết 57 cho đoàn viên, học sinh.",
        "paras": [
            "Hưởng ứng Ngày Chuyển đổi số quốc gia (10/10), Ngày hội Đổi mới sáng tạo quốc gia (1/10) và Ngày Khoa học "
            "và Công nghệ Việt Nam (18/5), xã tổ chức các hoạt động trải nghiệm cho mọi lứa tuổi.",
            "Tại các gian hàng, người dân được hướng dẫn làm thủ tục trực tuyến, kích hoạt định danh điện tử, quét mã "
            "thanh toán và xem các mô hình sản xuất ứng dụng công nghệ.",
            "Cuộc thi tìm hiểu Nghị quyết 57 dành cho đoàn viên, học sinh được tổ chức trực tuyến, có giải thưởng cho "
            "tập thể và cá nhân xuất sắc.",
        ],
        "facts": [
            ("10/10", "Ngày Chuyển đổi số quốc gia"),
            ("1/10", "Ngày hội Đổi mới sáng tạo quốc gia"),
            ("18/5", "Ngày Khoa học và Công nghệ Việt Nam"),
        ],
        "quote": ("Chuyển đổi số bắt đầu từ những việc nhỏ mỗi người làm được hôm nay.", "Lãnh đạo UBND xã"),
        "steps": [
            "Tham quan gian trải nghiệm",
            "Làm thử một thủ tục trực tuyến",
            "Tham gia cuộc thi tìm hiểu",
            "Chia sẻ điều học được với gia đình",
        ],
    },
]

FEEDBACK = [
    (
        "question",
        "Người cao tuổi không có điện thoại thông minh thì học kỹ năng số thế nào?",
        "Bác có thể đến lớp tại nhà văn hóa thôn: Tổ công nghệ số có điện thoại để thực hành. Con cháu trong nhà "
        "cũng có thể cùng học để giúp bác sau này.",
    ),
    (
        "comment",
        "Bài viết dễ hiểu, đề nghị in thành tờ rơi phát ở chợ phiên.",
        "Cảm ơn góp ý của bạn. Trung tâm dịch vụ tổng hợp sẽ in tờ rơi và phát tại chợ phiên tháng tới.",
    ),
    (
        "question",
        "Nộp hồ sơ trực tuyến rồi có phải lên xã nhận kết quả không?",
        "Nhiều thủ tục trả kết quả điện tử hoặc qua bưu điện; bạn chọn cách nhận khi nộp hồ sơ.",
    ),
]
